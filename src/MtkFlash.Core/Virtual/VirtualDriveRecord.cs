using System;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Serialization;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// drive.json: what a virtual drive keeps besides its flash. Written and read through <see cref="Json"/>'s one property
    /// list, so a new field is one edit. Missing fields keep the defaults below (state normal, tray empty, no faults).
    /// </summary>
    internal sealed class VirtualDriveRecord
    {
        public string Name { get; set; }
        public string Profile { get; set; }
        public string Serial { get; set; }
        public VirtualDriveMode State { get; set; }
        public TrayState Tray { get; set; }
        public VirtualDriveFaults Faults { get; set; } = new VirtualDriveFaults();
        public string Created { get; set; }

        /// <summary>Reads drive.json text; <see cref="FormatException"/> for anything that is not a valid description.</summary>
        public static VirtualDriveRecord Parse(string text)
        {
            var record = Json.Deserialize<VirtualDriveRecord>(text.TrimStart('\uFEFF')) ?? throw new FormatException("The description is null.");
            record.Faults = record.Faults ?? new VirtualDriveFaults();
            record.Faults.Validate();
            return record;
        }

        /// <summary>Reads a drive's drive.json; anything wrong throws <see cref="VirtualDriveDamagedException"/> naming the file.</summary>
        public static VirtualDriveRecord Read(string drivePath, string recordPath)
        {
            var bytes = VirtualDriveFolder.ReadOwnFile(drivePath, recordPath, VirtualDriveFolder.MaxRecordBytes);
            try { return Parse(System.Text.Encoding.UTF8.GetString(bytes)); }
            catch (FormatException ex) { throw new VirtualDriveDamagedException(drivePath, recordPath, "is not a valid drive description: " + ex.Message); }
        }

        /// <summary>Writes drive.json whole (a temporary file, then a rename).</summary>
        public void Write(string recordPath) =>
            AtomicFile.Write(recordPath, System.Text.Encoding.UTF8.GetBytes(Json.Serialize(this, indented: true) + "\n"));
    }
}
