using System;
using System.Collections;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The family-specific half of a virtual drive: flash and read commands, boot-mode rules, what a power loss does.
    /// Returns null from <see cref="Execute"/> for the commands every drive answers the same way.
    /// </summary>
    internal abstract class Personality
    {
        protected const int MiB = 0x100000;
        protected readonly VirtualDriveUnit U;

        protected Personality(VirtualDriveUnit unit) { U = unit; }

        protected VirtualProfile P => U.Profile;

        public static Personality For(VirtualDriveUnit unit)
        {
            // The family's own personality; a family without a descriptor is an error, never a LiteOn drive.
            return Families.FamilyRegistry.Required(unit.Profile.Family).CreatePersonality(unit);
        }

        public abstract ScsiResponse Execute(ScsiRequest r, IClock clock);

        /// <summary>Opcodes the boot loader answers; others get 5/20/00.</summary>
        public virtual bool AcceptsInBoot(byte opcode) => true;

        /// <summary>Forgets the RAM-only download state.</summary>
        public virtual void ResetDownload() { }

        /// <summary>Power-on self check of the firmware in flash (may switch the mode to Boot). Returns true when it changed the mode.</summary>
        public virtual bool BootCheck() => false;

        /// <summary>Power fails outside a commit (a download may have programmed part of the flash already).</summary>
        public virtual void OnPowerLoss() { }

        // ---- shared helpers ----

        protected static ScsiResponse Illegal(byte asc) => VirtualDriveUnit.Illegal(asc);
        protected static int Mode(ScsiRequest r) => r.Cdb[1] & 0x1F;
        protected static int Offset24(ScsiRequest r) => BigEndian.Get24(r.Cdb, 3);
        protected static int Length24(ScsiRequest r) => r.Cdb.Length >= 9 ? BigEndian.Get24(r.Cdb, 6) : 0;

        /// <summary>The data-out phase carries exactly the length the CDB announces.</summary>
        protected static bool OutMatches(ScsiRequest r, int length) =>
            length == 0 ? r.Direction != DataDirection.Out || r.OutData.Length == 0 : r.Direction == DataDirection.Out && r.OutData.Length == length;

        /// <summary>READ BUFFER mode 6, buffer 0: flash-mapped space at a BE24 offset (docs/reference/mt1959-notes.md §3; coastermelt bootloader.txt).</summary>
        protected ScsiResponse ReadFlashMode6(ScsiRequest r)
        {
            if (r.Cdb.Length < 10 || Mode(r) != 0x06 || r.Cdb[2] != 0) return Illegal(0x24);
            int offset = Offset24(r), length = Length24(r);
            if ((long)offset + length > U.Flash.Length) return Illegal(0x24);
            var data = new byte[length];
            Array.Copy(U.Flash, offset, data, 0, length);
            return VirtualDriveUnit.DataIn(data, r);
        }

        /// <summary>The flash after programming `received` over [from, to): protected and drive-unique bytes keep the drive's own.</summary>
        protected byte[] Programmed(byte[] received, int from, int to)
        {
            var flash = (byte[])U.Flash.Clone();
            var keep = P.KeepMap;
            for (int i = from; i < to; i++) if (!keep[i]) flash[i] = received[i];
            return flash;
        }
    }

    /// <summary>A download buffer that knows which bytes have landed (offset-addressed downloads).</summary>
    internal sealed class DownloadBuffer
    {
        readonly BitArray _covered;
        int _count;

        public DownloadBuffer(int size)
        {
            Data = new byte[size];
            for (int i = 0; i < size; i++) Data[i] = 0xFF;
            _covered = new BitArray(size);
        }

        public byte[] Data { get; }
        public bool Complete => _count == Data.Length;

        public void Put(int offset, byte[] bytes)
        {
            Array.Copy(bytes, 0, Data, offset, bytes.Length);
            for (int i = 0; i < bytes.Length; i++)
                if (!_covered[offset + i]) { _covered[offset + i] = true; _count++; }
        }
    }
}
