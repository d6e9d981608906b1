using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Families.Plextor
{
    /// <summary>Plextor synthetic images: an INQUIRY template [inferred place] and the checksum at the profile's crc_offs.</summary>
    internal sealed class PlextorSyntheticImage : InquiryTemplateImage
    {
        public override void Finish(VirtualProfile profile, byte[] image) => StoreChecksum(profile, image);

        /// <summary>Plextor: Σ bytes[0..crc_offs) &amp; 0xFFFF (+ initial), stored BE16 at crc_offs (redumper flash_plextor.ixx, qpxtool pxfw.cpp).</summary>
        public static int Checksum(VirtualProfile profile, byte[] image) => SyntheticImages.Sum16(image, 0, profile.PlextorCrcOffset, profile.PlextorInitialSum);

        public static void StoreChecksum(VirtualProfile profile, byte[] image) =>
            BigEndian.Put16(image, profile.PlextorCrcOffset, Checksum(profile, image));
    }
}
