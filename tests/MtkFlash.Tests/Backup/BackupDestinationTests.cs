using System;
using System.IO;
using System.Linq;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Operations;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Backup
{
    /// <summary>Target folder problems: missing, not writable, full, or already holding a bundle of that name.</summary>
    public class BackupDestinationTests
    {
        static (BackupResult Result, RecordingHost Host) Run(VirtualRig rig, string drive, string dest, BackupFormat format, Func<string, Stream> createFile)
        {
            var host = new RecordingHost();
            var op = new BackupOperation(rig.Context) { CreateBackupFile = createFile };
            return (op.Run(host, drive, new BackupOptions { Destination = dest, Format = format }), host);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_missing_folder_is_BackupFolderNotFound_before_the_drive_is_touched(bool destinationIsAFile)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var dest = Path.Combine(rig.Home, "no-such-folder");
                if (destinationIsAFile) File.WriteAllText(dest, "not a folder");
                var (result, host) = BackupKit.Run(rig, drive, dest);
                Assert.Null(result);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupFolderNotFound", error.ErrorId);
                Assert.Equal(OperationErrorCategory.ObjectNotFound, error.Category);
                Assert.Contains(dest, error.Message);
                Assert.Equal(0, rig.Trace().Count);
                Assert.Equal(destinationIsAFile, File.Exists(dest));
                Assert.False(Directory.Exists(dest));
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void A_folder_that_refuses_new_files_is_BackupAccessDenied_and_nothing_is_left(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var dest = rig.Sub("readonly");
                int attempts = 0;
                var (result, host) = Run(rig, drive, dest, format, path =>
                {
                    attempts++;
                    throw new UnauthorizedAccessException("Access to the path '" + path + "' is denied.");
                });
                Assert.Null(result);
                Assert.Equal(1, attempts);
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupAccessDenied", error.ErrorId);
                Assert.Equal(OperationErrorCategory.PermissionDenied, error.Category);
                Assert.NotNull(error.RecommendedAction);
                BackupKit.AssertNothingKept(dest);
            }
        }

        /// <summary>A disk that fills up after <paramref name="budget"/> bytes of the bundle were written.</summary>
        [Theory]
        [InlineData(BackupFormat.Folder, 0)]
        [InlineData(BackupFormat.Folder, 200)]
        [InlineData(BackupFormat.Folder, 0x100000)]
        [InlineData(BackupFormat.Folder, 0x200000 + 0x10200)]
        [InlineData(BackupFormat.Zip, 0)]
        [InlineData(BackupFormat.Zip, 5000)]
        [InlineData(BackupFormat.Zip, 60000)]
        public void A_full_disk_is_BackupWriteFailed_and_no_partial_bundle_is_left(BackupFormat format, int budget)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var next = rig.NewDrive("next", "btc-drw1008");
                var dest = rig.Sub("full");
                var disk = new FullDisk(budget);
                var host = new RecordingHost();
                var op = new BackupOperation(rig.Context) { CreateBackupFile = disk.Create };
                Assert.Null(op.Run(host, drive, new BackupOptions { Destination = dest, Format = format }));
                Assert.True(disk.Refused, "the disk never filled up: the budget is larger than the bundle");
                var error = Assert.Single(host.Errors);
                Assert.Equal("BackupWriteFailed", error.ErrorId);
                Assert.Equal(OperationErrorCategory.WriteError, error.Category);
                Assert.Contains("No space left on device", error.Message);
                Assert.Contains("nothing was kept", error.Message);
                BackupKit.AssertNothingKept(dest);

                // Space freed: the next drive of the same run is backed up.
                op.CreateBackupFile = null;
                var result = op.Run(host, next, new BackupOptions { Destination = dest, Format = format });
                Assert.NotNull(result);
                Assert.Single(host.Errors);
                Assert.Equal(new[] { Path.GetFileName(result.Path) }, BackupKit.Entries(dest));
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void Every_file_is_written_under_a_temporary_name_then_renamed(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "tsst-se506cb");
                var dest = rig.Sub("backups");
                var created = new System.Collections.Generic.List<string>();
                var (result, host) = Run(rig, drive, dest, format, path =>
                {
                    created.Add(path);
                    // While the bundle is being written, nothing carries its final name yet.
                    Assert.DoesNotContain(BackupKit.Entries(dest), e => !e.StartsWith(".", StringComparison.Ordinal));
                    return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                });
                Assert.Empty(host.Errors);
                Assert.NotEmpty(created);
                var finalName = Path.GetFileName(result.Path);
                var stem = format == BackupFormat.Zip ? finalName.Substring(0, finalName.Length - ".zip".Length) : finalName;
                foreach (var path in created)
                    Assert.StartsWith("." + stem + ".partial-", Path.GetRelativePath(dest, path).Split(Path.DirectorySeparatorChar)[0]);
                Assert.Equal(new[] { finalName }, BackupKit.Entries(dest));
                BackupBundle.Open(result.Path);
            }
        }

        [Theory]
        [InlineData(BackupFormat.Folder)]
        [InlineData(BackupFormat.Zip)]
        public void An_existing_bundle_is_never_overwritten(BackupFormat format)
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "lg-bh16ns40");
                var dest = rig.Sub("backups");
                var (first, _) = BackupKit.Run(rig, drive, dest, format);
                Assert.NotNull(first);
                var before = Snapshot(first.Path);

                // Same drive, same second (the fake clock stands still): same default name, so the second gets "-2".
                var (second, host) = BackupKit.Run(rig, drive, dest, format);
                Assert.Empty(host.Errors);
                var suffix = format == BackupFormat.Zip ? "-2.zip" : "-2";
                var baseName = format == BackupFormat.Zip ? Path.GetFileNameWithoutExtension(first.Path) : Path.GetFileName(first.Path);
                Assert.Equal(Path.Combine(dest, baseName + suffix), second.Path);
                Assert.Equal(before, Snapshot(first.Path));
                Assert.Equal(2, BackupKit.Entries(dest).Count());

                // A second later the name differs and the backup goes through under its own name.
                rig.Clock.Advance(TimeSpan.FromSeconds(1));
                var (third, host3) = BackupKit.Run(rig, drive, dest, format);
                Assert.Empty(host3.Errors);
                Assert.NotEqual(first.Path, third.Path);
                Assert.DoesNotContain("-2", Path.GetFileName(third.Path).Substring(Path.GetFileName(third.Path).Length - 6));
                Assert.Equal(before, Snapshot(first.Path));
            }
        }

        [Fact]
        public void A_foreign_file_under_the_bundle_name_is_not_overwritten_either()
        {
            using (var rig = new VirtualRig())
            {
                var drive = rig.NewDrive("d", "spc-generic");
                var dest = rig.Sub("backups");
                var (probe, _) = BackupKit.Run(rig, drive, rig.Sub("probe"), BackupFormat.Zip);
                var name = Path.GetFileName(probe.Path);
                File.WriteAllText(Path.Combine(dest, name), "someone else's file");
                var (result, host) = BackupKit.Run(rig, drive, dest, BackupFormat.Zip);
                Assert.Empty(host.Errors);
                Assert.Equal(Path.Combine(dest, Path.GetFileNameWithoutExtension(name) + "-2.zip"), result.Path);
                Assert.Equal("someone else's file", File.ReadAllText(Path.Combine(dest, name)));
                Assert.Equal(2, BackupKit.Entries(dest).Count());
            }
        }

        static string Snapshot(string path)
        {
            if (File.Exists(path)) return BackupBundle.Sha256(File.ReadAllBytes(path)) + File.GetLastWriteTimeUtc(path).Ticks;
            return string.Join(";", Directory.GetFiles(path).OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => Path.GetFileName(f) + "=" + BackupBundle.Sha256(File.ReadAllBytes(f)) + "@" + File.GetLastWriteTimeUtc(f).Ticks));
        }

        /// <summary>Real files that throw "No space left on device" once the bundle's bytes pass the budget.</summary>
        sealed class FullDisk
        {
            long _left;
            public FullDisk(long budget) { _left = budget; }
            public bool Refused { get; private set; }

            public Stream Create(string path) => new Limited(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None), this);

            sealed class Limited : Stream
            {
                readonly FileStream _inner;
                readonly FullDisk _disk;
                public Limited(FileStream inner, FullDisk disk) { _inner = inner; _disk = disk; }

                public override void Write(byte[] buffer, int offset, int count)
                {
                    if (count > _disk._left)
                    {
                        _inner.Write(buffer, offset, (int)_disk._left);
                        _disk._left = 0;
                        _disk.Refused = true;
                        throw new IOException("No space left on device : '" + _inner.Name + "'");
                    }
                    _inner.Write(buffer, offset, count);
                    _disk._left -= count;
                }

                public override bool CanRead => false;
                public override bool CanSeek => _inner.CanSeek;
                public override bool CanWrite => true;
                public override long Length => _inner.Length;
                public override long Position { get => _inner.Position; set => _inner.Position = value; }
                public override void Flush() => _inner.Flush();
                public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
                public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
                public override void SetLength(long value) => _inner.SetLength(value);
                protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
            }
        }
    }
}
