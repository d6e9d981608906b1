using System.Collections.Generic;
using System.Runtime.InteropServices;
using MtkFlash.Core.Transports.Linux;
using MtkFlash.Core.Transports.Windows;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Transports
{
    /// <summary>The drive platforms of this machine: its OS's pass-through stack plus the virtual-drive store.</summary>
    public static class PlatformFactory
    {
        public static IReadOnlyList<IDrivePlatform> ForThisMachine(string homeDirectory, Infrastructure.IClock clock = null)
        {
            var list = new List<IDrivePlatform>();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) list.Add(new LinuxDrivePlatform());
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) list.Add(new WindowsDrivePlatform());
            list.Add(new VirtualDrivePlatform(homeDirectory, clock ?? Infrastructure.SystemClock.Instance));
            return list;
        }
    }
}
