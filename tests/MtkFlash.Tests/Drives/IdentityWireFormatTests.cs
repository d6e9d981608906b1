using System;
using System.Collections.Generic;
using System.IO;
using MtkFlash.Core.Backup;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Operations;
using MtkFlash.Core.Serialization;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.Drives
{
    /// <summary>
    /// The types that carry a drive's identity write it as flat fields, in the same order, byte for byte: the inventory row
    /// (JSON output), the backup manifest's drive, the backup result, the write result (history outcome line) and the
    /// history's attempt line. Pinned from the output of the code before <c>DriveIdentity</c> existed.
    /// </summary>
    public class IdentityWireFormatTests
    {
        static readonly DateTimeOffset When = new DateTimeOffset(2026, 11, 30, 16, 15, 0, TimeSpan.Zero);

        static OpticalDrive Drive() => new OpticalDrive
        {
            Path = "/dev/sr0", Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02", FirmwareDate = "2015-01-01", SerialNumber = "K9A1234567",
            Location = "1", Family = DriveFamily.Mt1959, State = DriveState.NoMedium, Model = "BH16NS40", ListedModel = true, CanBackup = true, CanFlash = true,
        };

        static WriteResult Write() => new WriteResult
        {
            Drive = "/dev/sr0", Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", SerialNumber = "K9A1234567", Family = DriveFamily.Mt1959,
            Image = "/tmp/fw.bin", ImageSha256 = "ab", PreviousRevision = "1.02", ExpectedRevision = "1.03", NewRevision = "1.03", Outcome = WriteOutcome.Succeeded,
            AttemptId = "0123", StartedUtc = When, Duration = TimeSpan.FromSeconds(61), ComputerName = "host-1", PlannedCommands = 3, CommandsSent = 3,
        };

        [Fact]
        public void Inventory_row_manifest_drive_backup_result_and_write_result_serialise_as_before()
        {
            Assert.Equal(Golden.Drive, Json.Serialize(Drive()));
            Assert.Equal(Golden.ManifestDrive, Json.Serialize(BackupDriveIdentity.From(Drive())));
            Assert.Equal(Golden.BackupResult, Json.Serialize(new BackupResult
            {
                Path = "/b/x", Drive = "/dev/sr0", Vendor = "HL-DT-ST", Product = "BD-RE BH16NS40", Revision = "1.02", SerialNumber = "K9A1234567",
                Completeness = BackupCompleteness.Full, Format = BackupFormat.Folder, Size = 4, Sha256 = "cd", CreatedUtc = When, Parts = new List<BackupPart>(),
            }));
            Assert.Equal(Golden.WriteResult, Json.Serialize(Write()));
        }

        [Fact]
        public void History_attempt_and_outcome_lines_are_written_as_before()
        {
            using (var home = new TempHome())
            {
                var file = home.Sub("history.jsonl");
                HistoryLog.AppendAttempt(file, Write());
                HistoryLog.Append(file, Write());
                Assert.Equal(new[] { Golden.Attempt, Golden.WriteResult }, File.ReadAllLines(file));
            }
        }

        [Fact]
        public void Manifest_and_write_result_read_back_to_the_same_text()
        {
            var manifest = Json.Serialize(BackupDriveIdentity.From(Drive()));
            Assert.Equal(manifest, Json.Serialize(Json.Deserialize<BackupDriveIdentity>(manifest)));
            var write = Json.Serialize(Write());
            Assert.Equal(write, Json.Serialize(Json.Deserialize<WriteResult>(write)));
        }

        static class Golden
        {
            public const string Drive =
                "{\"path\":\"/dev/sr0\",\"vendor\":\"HL-DT-ST\",\"product\":\"BD-RE BH16NS40\",\"revision\":\"1.02\",\"firmwareDate\":\"2015-01-01\",\"serialNumber\":\"K9A1234567\",\"location\":\"1\",\"family\":\"mt1959\",\"state\":\"noMedium\",\"isVirtual\":false,\"canBackup\":true,\"canFlash\":true,\"model\":\"BH16NS40\",\"listedModel\":true,\"vendorSpecific\":null,\"currentProfile\":null,\"microcodeUpgrade\":false,\"note\":null,\"alternatePaths\":null}";
            public const string ManifestDrive =
                "{\"path\":\"/dev/sr0\",\"vendor\":\"HL-DT-ST\",\"product\":\"BD-RE BH16NS40\",\"revision\":\"1.02\",\"serialNumber\":\"K9A1234567\",\"firmwareDate\":\"2015-01-01\",\"family\":\"mt1959\",\"model\":\"BH16NS40\",\"isVirtual\":false}";
            public const string BackupResult =
                "{\"path\":\"/b/x\",\"drive\":\"/dev/sr0\",\"vendor\":\"HL-DT-ST\",\"product\":\"BD-RE BH16NS40\",\"revision\":\"1.02\",\"serialNumber\":\"K9A1234567\",\"completeness\":\"full\",\"reason\":null,\"format\":\"folder\",\"size\":4,\"sha256\":\"cd\",\"createdUtc\":\"2026-11-30T16:15:00.000Z\",\"parts\":[]}";
            public const string WriteResult =
                "{\"drive\":\"/dev/sr0\",\"vendor\":\"HL-DT-ST\",\"product\":\"BD-RE BH16NS40\",\"serialNumber\":\"K9A1234567\",\"family\":\"mt1959\",\"image\":\"/tmp/fw.bin\",\"imageSha256\":\"ab\",\"isRestore\":false,\"previousRevision\":\"1.02\",\"expectedRevision\":\"1.03\",\"newRevision\":\"1.03\",\"backupPath\":null,\"verified\":false,\"readBackVerified\":null,\"crossFlash\":false,\"allowedUnlistedModel\":false,\"recover\":false,\"outcome\":\"succeeded\",\"errorId\":null,\"message\":null,\"plannedCommands\":3,\"commandsSent\":3,\"failedStep\":null,\"failedCommand\":null,\"driveAnswer\":null,\"driveStateAfter\":null,\"attemptId\":\"0123\",\"planNotes\":[],\"startedUtc\":\"2026-11-30T16:15:00.000Z\",\"duration\":61,\"computerName\":\"host-1\"}";
            public const string Attempt =
                "{\"record\":\"attempt\",\"attemptId\":\"0123\",\"startedUtc\":\"2026-11-30T16:15:00.000Z\",\"drive\":\"/dev/sr0\",\"vendor\":\"HL-DT-ST\",\"product\":\"BD-RE BH16NS40\",\"serialNumber\":\"K9A1234567\",\"computerName\":\"host-1\",\"previousRevision\":\"1.02\",\"expectedRevision\":\"1.03\",\"image\":\"/tmp/fw.bin\",\"imageSha256\":\"ab\",\"backupPath\":null,\"plannedCommands\":3,\"recover\":false}";
        }
    }
}
