using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Protocols;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Core.Drives
{
    /// <summary>
    /// Builds an <see cref="OpticalDrive"/> from read-only commands: INQUIRY, GET CONFIGURATION and TEST UNIT READY.
    /// These three need no special rights on Linux (docs/reference/drive-protocols.md §5.1), so inventory works for cdrom-group users.
    /// </summary>
    public static class DriveIdentifier
    {
        public static OpticalDrive Identify(IScsiTransport transport, DeviceEntry entry, IClock clock = null)
        {
            // A drive that is becoming ready (spin-up, just after a flash) gets the default: up to 10 retries, 0.5 s apart.
            var device = new ScsiDevice(transport, clock, RetryPolicy.Default);
            InquiryData inquiry;
            try { inquiry = device.Inquiry(); }
            catch (ScsiCommandException ex) when (ex.Sense != null && ex.Sense.Key == SenseTexts.NotReady && ex.Sense.Asc == 0x04 || ex.Status == ScsiStatus.Busy)
            {
                // Still working after the retries (a drive programming its flash answers nothing but NOT READY 04/xx): busy,
                // listed with what the OS knows of it, never probed further.
                return Busy(entry, transport.Path, ex.Sense != null ? ex.Sense.Describe() : ScsiStatus.Describe(ex.Status));
            }
            var drive = new OpticalDrive
            {
                Path = entry?.Path ?? transport.Path,
                Location = entry?.Location,
                AlternatePaths = entry?.AlternatePaths,
                IsVirtual = entry?.IsVirtual ?? false,
                Identity = new DriveIdentity(inquiry.Vendor, inquiry.Product, inquiry.Revision, null),
                VendorSpecific = inquiry.VendorSpecific,
                RawInquiry = inquiry.Raw,
            };

            ConfigurationData config = null;
            try
            {
                var raw = device.Execute(ScsiRequest.Read(Cdb.GetConfiguration(GetConfigurationRequestType.All, 0, 0x1000), 0x1000, TimeSpan.FromSeconds(10))).Data;
                config = ConfigurationData.Parse(raw);
                drive.RawConfiguration = raw;
            }
            catch (ScsiCommandException) { /* boot loaders and old drives may not implement it: identity still stands */ }
            catch (FormatException) { }

            drive.SerialNumber = config?.SerialNumber;
            drive.FirmwareDate = config?.FirmwareDate;
            drive.MicrocodeUpgrade = config?.HasMicrocodeUpgrade ?? false;
            drive.CurrentProfile = config == null ? null : ConfigurationData.ProfileName(config.CurrentProfile);

            drive.Family = DriveCatalog.Classify(drive.Vendor, drive.Product, drive.MicrocodeUpgrade, out var model, out var listed);
            drive.Model = model;
            drive.ListedModel = listed;

            if (string.Equals(drive.Revision, "BOOT", StringComparison.OrdinalIgnoreCase))
            {
                // TSST boot loader and failed MT1959 flashes report revision BOOT (docs/reference/drive-protocols.md §2.2; docs/reference/mt1959-notes.md §4.2).
                drive.State = DriveState.BootMode;
                drive.Note = "The drive runs its boot loader (revision BOOT): its firmware is missing or damaged. Flash it in recovery mode with an image for this drive or its backup.";
            }
            else
            {
                var tur = device.TestUnitReady();
                // A unit attention (power on, reset, new microcode) reports an event, not the tray: ask again (SPC).
                for (int i = 0; i < 3 && ScsiDevice.IsRetryableUnitAttention(tur); i++) tur = device.TestUnitReady();
                if (tur.IsGood) drive.State = config != null && config.CurrentProfile == 0 ? DriveState.Ready : DriveState.MediumPresent;
                else if (ScsiDevice.IsBusyAnswer(tur))
                {
                    // NOT READY 04/xx is a drive at work (becoming ready, programming after a flash), not a ready one.
                    drive.State = DriveState.Busy;
                    drive.Note = BusyNote(tur.Sense != null ? tur.Sense.Describe() : ScsiStatus.Describe(tur.Status));
                }
                else if (tur.Sense != null && tur.Sense.Key == SenseTexts.NotReady && tur.Sense.Asc == 0x3A) drive.State = DriveState.NoMedium;
                else if (tur.Sense != null && (tur.Sense.Key == SenseTexts.HardwareError || tur.Sense.Key == SenseTexts.AbortedCommand))
                {
                    // A drive that answers identity but fails a plain TEST UNIT READY with a hardware error (or an aborted,
                    // timed-out command) is not usable: never report it as ready.
                    drive.State = DriveState.NotResponding;
                    drive.Note = "TEST UNIT READY failed: " + tur.Sense.Describe();
                }
                else drive.State = DriveState.Ready;
            }

            var caps = FamilyCapabilities.For(drive);
            drive.CanBackup = caps.CanReadFirmware || caps.CanReadRegions;
            drive.CanFlash = caps.CanFlash;
            if (!caps.CanFlash && drive.Note == null) drive.Note = caps.Reason;
            return drive;
        }

        static string BusyNote(string answer) =>
            "The drive is busy (" + answer + "): it may be programming its flash. Do not power it off; wait until it reports ready before a backup or write.";

        static OpticalDrive Busy(DeviceEntry entry, string path, string answer) => FromEntry(entry, path, DriveState.Busy, BusyNote(answer));

        /// <summary>
        /// A drive described by its identity only, without opening it: an inventory row from another machine (a deserialized
        /// object after remoting, an Import-Csv row). Family and model are taken as given when they parse, else classified
        /// from vendor and product. Null when the identity is incomplete (no vendor, product or revision).
        /// </summary>
        public static OpticalDrive FromIdentity(string path, string vendor, string product, string revision, string family = null, string model = null,
            string serialNumber = null, bool microcodeUpgrade = false)
        {
            if (string.IsNullOrWhiteSpace(vendor) || string.IsNullOrWhiteSpace(product) || string.IsNullOrWhiteSpace(revision)) return null;
            var classified = DriveCatalog.Classify(vendor, product, microcodeUpgrade, out var classifiedModel);
            DriveFamily parsed = classified;
            if (!string.IsNullOrWhiteSpace(family))
            {
                try { parsed = Serialization.Json.ParseEnum<DriveFamily>(family.Trim()); }
                catch (FormatException) { parsed = classified; }
            }
            return new OpticalDrive
            {
                Path = path, Identity = new DriveIdentity(vendor, product, revision, serialNumber),
                Family = parsed, Model = string.IsNullOrWhiteSpace(model) ? classifiedModel : model, MicrocodeUpgrade = microcodeUpgrade,
                State = string.Equals(revision.Trim(), "BOOT", StringComparison.OrdinalIgnoreCase) ? DriveState.BootMode : DriveState.Ready,
            };
        }

        /// <summary>The entry for a drive that could not be opened or identified: listed, never dropped.</summary>
        public static OpticalDrive NotResponding(DeviceEntry entry, string reason) => FromEntry(entry, null, DriveState.NotResponding, reason);

        /// <summary>A drive known only by what the OS listed (no identification of its own): busy or not responding.</summary>
        static OpticalDrive FromEntry(DeviceEntry entry, string path, DriveState state, string note)
        {
            var family = DriveCatalog.Classify(entry?.Vendor, entry?.Product, false, out var model, out var listed);
            return new OpticalDrive
            {
                Path = entry?.Path ?? path,
                Location = entry?.Location,
                AlternatePaths = entry?.AlternatePaths,
                Identity = new DriveIdentity(entry?.Vendor, entry?.Product, entry?.Revision, null),
                IsVirtual = entry?.IsVirtual ?? false,
                Family = family,
                Model = model,
                ListedModel = listed,
                State = state,
                Note = note,
            };
        }
    }
}
