namespace MtkFlash.Core.Firmware.Families
{
    /// <summary>Adds a named flash region to a report, warning when a per-drive region holds data (the image is one drive's dump).</summary>
    internal static class ImageRegions
    {
        internal static void Add(FirmwareImageReport r, byte[] d, string name, int start, int end, string note, bool perDrive)
        {
            if (end >= d.Length) return;
            bool hasData = !ImageBytes.IsBlank(d, start, end - start + 1);
            r.Details.Regions.Add(new ImageRegion { Name = name, Start = start, End = end, HasData = hasData, Note = note });
            if (perDrive && hasData)
                r.Warn(FirmwareProblemCodes.CarriesDriveData, "The image carries per-drive data in " + name + " (" + ImageBytes.HexOffset(start) + "–" + ImageBytes.HexOffset(end) +
                    "): it looks like one drive's dump. Writing it to another drive replaces that drive's own data (docs/reference/mt1959-notes.md §2).");
        }
    }
}
