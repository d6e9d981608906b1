using MtkFlash.Core.Drives;

namespace MtkFlash.Tests.Firmware
{
    public static class Drives
    {
        public static OpticalDrive Make(string vendor, string product, string revision, string path = "/dev/sr0")
        {
            var family = DriveCatalog.Classify(vendor, product, false, out var model, out var listed);
            return new OpticalDrive { Path = path, Vendor = vendor, Product = product, Revision = revision, Family = family, Model = model, ListedModel = listed, State = DriveState.NoMedium };
        }
    }
}
