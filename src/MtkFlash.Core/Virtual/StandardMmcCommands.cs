using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Virtual
{
    /// <summary>
    /// The standard MMC command set of a virtual drive: what every personality answers the same way (identity, tray and
    /// disc, configuration). The unit sends it every command its personality does not take.
    /// </summary>
    internal sealed class StandardMmcCommands
    {
        readonly VirtualDriveUnit _unit;

        public StandardMmcCommands(VirtualDriveUnit unit) { _unit = unit; }

        ScsiResponse NoMedium() => ScsiResponse.Check(SenseTexts.NotReady, 0x3A, 0x01);   // medium not present, tray closed

        bool HasDisc => _unit.Tray == TrayState.Disc;
        int DiscBlocks => _unit.Profile.DiscProfile == 0x0040 ? 12219392 : 2295104;   // BD-25 / DVD-5 sizes in 2048-byte blocks

        /// <summary>The MMC commands every personality answers the same way (docs/reference/drive-protocols.md §4.4–§4.6).</summary>
        public ScsiResponse Execute(ScsiRequest r)
        {
            var cdb = r.Cdb;
            switch (r.Opcode)
            {
                case Cdb.TestUnitReadyOpcode:
                    return HasDisc ? ScsiResponse.Good() : NoMedium();
                case Cdb.RequestSenseOpcode:
                {
                    var sense = _unit.LastSense ?? new SenseData(SenseTexts.NoSense, 0, 0);
                    _unit.LastSense = null;
                    return VirtualDriveUnit.SenseAsData(sense, r);
                }
                case Cdb.InquiryOpcode:
                    if ((cdb[1] & 0x01) != 0 || cdb[2] != 0) return VirtualDriveUnit.Illegal(0x24);   // no VPD pages
                    return VirtualDriveUnit.DataIn(InquiryBytes(), r);
                case Cdb.GetConfigurationOpcode:
                    return VirtualDriveUnit.DataIn(ConfigurationBytes(cdb), r);
                case Cdb.ModeSense6Opcode:
                    return VirtualDriveUnit.DataIn(new byte[] { 3, 0, 0, 0 }, r);                  // header only, no pages
                case Cdb.ModeSense10Opcode:
                    return VirtualDriveUnit.DataIn(new byte[] { 0, 6, 0, 0, 0, 0, 0, 0 }, r);
                case Cdb.StartStopUnitOpcode:
                case 0x1E:                                                       // PREVENT ALLOW MEDIUM REMOVAL
                    return ScsiResponse.Good();
                case Cdb.GetEventStatusOpcode:
                    return VirtualDriveUnit.DataIn(new byte[] { 0, 2, 0x80, 0 }, r);              // no event available
                case Cdb.ReadCapacityOpcode:
                {
                    if (!HasDisc) return NoMedium();
                    var d = new byte[8];
                    BigEndian.Put32(d, 0, (uint)(DiscBlocks - 1));
                    BigEndian.Put32(d, 4, 2048);
                    return VirtualDriveUnit.DataIn(d, r);
                }
                case 0x43:                                                       // READ TOC, format 0: one data track
                {
                    if (!HasDisc) return NoMedium();
                    var d = new byte[20];
                    BigEndian.Put16(d, 0, 18); d[2] = 1; d[3] = 1;
                    d[5] = 0x14; d[6] = 1;
                    d[13] = 0x14; d[14] = 0xAA; BigEndian.Put32(d, 16, (uint)DiscBlocks);
                    return VirtualDriveUnit.DataIn(d, r);
                }
                case Cdb.Read10Opcode:
                {
                    if (!HasDisc) return NoMedium();
                    long lba = BigEndian.Get32(cdb, 2);
                    int blocks = BigEndian.Get16(cdb, 7);
                    if (lba + blocks > DiscBlocks) return VirtualDriveUnit.Illegal(0x21);
                    return VirtualDriveUnit.DataIn(new byte[blocks * 2048], r);                    // a blank-looking disc
                }
                case Cdb.MediatekReadCacheOpcode:
                {
                    // F1 06 [addr BE32] [len BE32]: DRAM cache read (docs/reference/drive-protocols.md §2.4, redumper drive/mediatek.ixx).
                    if (!_unit.Profile.MediatekCacheRead) return VirtualDriveUnit.Illegal(0x20);
                    if (cdb.Length < 10 || cdb[1] != 0x06) return VirtualDriveUnit.Illegal(0x24);
                    long len = BigEndian.Get32(cdb, 6);
                    if (len > 0x10000) return VirtualDriveUnit.Illegal(0x24);
                    return VirtualDriveUnit.DataIn(new byte[len], r);                              // empty cache: no disc has been read
                }
                default:
                    return VirtualDriveUnit.Illegal(0x20);
            }
        }

        byte[] InquiryBytes()
        {
            var id = _unit.Identity;
            var revision = _unit.Mode == VirtualDriveMode.Boot ? "BOOT" : id?.Revision ?? string.Empty;
            return InquiryData.Build(id?.Vendor ?? _unit.Profile.Vendor, id?.Product ?? _unit.Profile.Product, revision,
                _unit.Mode == VirtualDriveMode.Boot ? string.Empty : id?.VendorSpecific);
        }

        /// <summary>GET CONFIGURATION: profile list (0000h), Core, Removable Medium, Microcode Upgrade where advertised, serial (0108h), firmware date (010Ch).</summary>
        byte[] ConfigurationBytes(byte[] cdb)
        {
            int rt = cdb[1] & 0x03;
            int start = BigEndian.Get16(cdb, 2);
            int current = HasDisc ? _unit.Profile.DiscProfile : 0;
            var profileList = new List<byte>();
            foreach (var p in _unit.Profile.SupportedProfiles)
                profileList.AddRange(new[] { (byte)(p >> 8), (byte)p, (byte)(p == current ? 1 : 0), (byte)0 });
            var features = new List<KeyValuePair<int, byte[]>>
            {
                new KeyValuePair<int, byte[]>(0x0000, profileList.ToArray()),
                new KeyValuePair<int, byte[]>(0x0001, new byte[] { 0, 0, 0, 2, 1, 0, 0, 0 }),     // Core: ATAPI, DBE
                new KeyValuePair<int, byte[]>(0x0003, new byte[] { 0x29, 0, 0, 0 }),              // Removable Medium: tray, eject
            };
            if (_unit.Profile.MicrocodeUpgradeFeature) features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureMicrocodeUpgrade, new byte[4]));
            features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureSerialNumber, ConfigurationData.AsciiFeature(_unit.Serial)));
            var digits = _unit.Mode == VirtualDriveMode.Boot ? null : _unit.Identity?.FirmwareDateDigits;
            if (digits != null)
            {
                var date = new byte[16];
                System.Text.Encoding.ASCII.GetBytes(digits, 0, 14, date, 0);
                features.Add(new KeyValuePair<int, byte[]>(ConfigurationData.FeatureFirmwareInformation, date));
            }
            IEnumerable<KeyValuePair<int, byte[]>> selected = features.Where(f => f.Key >= start);
            if (rt == 2) selected = features.Where(f => f.Key == start);
            return ConfigurationData.Build(current, selected);
        }
    }
}
