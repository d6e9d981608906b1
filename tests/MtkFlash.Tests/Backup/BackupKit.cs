using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Runs BackupOperation on a rig and checks the destination folder for leftovers.</summary>
    static class BackupKit
    {
        public static (BackupResult Result, RecordingHost Host) Run(VirtualRig rig, string drive, string destination, BackupFormat format = BackupFormat.Folder)
        {
            var host = new RecordingHost();
            var result = new BackupOperation(rig.Context).Run(host, drive, new BackupOptions { Destination = destination, Format = format });
            return (result, host);
        }

        /// <summary>Every name in a folder (files and folders, hidden ones included).</summary>
        public static string[] Entries(string folder) =>
            Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        /// <summary>Nothing in the folder but what was there before: no bundle, no temporary ".partial" file or folder.</summary>
        public static void AssertNothingKept(string folder, params string[] before)
        {
            Assert.Equal(before.OrderBy(n => n, StringComparer.Ordinal).ToArray(), Entries(folder));
        }
    }
}
