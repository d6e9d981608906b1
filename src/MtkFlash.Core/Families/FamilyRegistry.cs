using System;
using System.Collections.Generic;
using System.Linq;
using MtkFlash.Core.Drives;

namespace MtkFlash.Core.Families
{
    /// <summary>
    /// The one list of drive families. Adding a family is one line here and one folder under Families/ (docs/adding-a-family.md).
    /// The order is the order of the emulator's profiles and the order in which families are asked to claim an image.
    /// </summary>
    public static class FamilyRegistry
    {
        static readonly DriveFamilyDescriptor[] Descriptors =
        {
            new Mt1959.Mt1959Family(),
            new Tsst.TsstFamily(),
            new Btc.BtcFamily(),
            new Plextor.PlextorFamily(),
            new LiteOn8051.LiteOn8051Family(),
            new Spc.SpcFamily(),
        };

        /// <summary>Every registered family.</summary>
        public static IReadOnlyList<IDriveFamily> All => Descriptors;

        /// <summary>The family's descriptor, or null (DriveFamily.Unknown and any value without a descriptor).</summary>
        public static IDriveFamily Find(DriveFamily family) => Descriptor(family);

        /// <summary>The family's descriptor; an unknown family is an error, never a default.</summary>
        public static IDriveFamily Get(DriveFamily family) => Required(family);

        internal static DriveFamilyDescriptor Descriptor(DriveFamily family) => Descriptors.FirstOrDefault(d => d.Id == family);

        internal static DriveFamilyDescriptor Required(DriveFamily family) =>
            Descriptor(family) ?? throw new ArgumentException(
                "The drive family '" + Serialization.Json.EnumName(family) + "' has no descriptor in FamilyRegistry (registered: " +
                string.Join(", ", Descriptors.Select(d => Serialization.Json.EnumName(d.Id))) + ").", nameof(family));

        internal static IEnumerable<DriveFamilyDescriptor> Registered => Descriptors;

        /// <summary>The families' own image rules, in the order they are tried.</summary>
        internal static IEnumerable<ImageRule> ImageRules => Descriptors.Select(d => d.ImageRule).Where(r => r != null).OrderBy(r => r.Order);
    }
}
