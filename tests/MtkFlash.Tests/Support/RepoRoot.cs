using System;
using System.IO;

namespace MtkFlash.Tests.Support
{
    /// <summary>The repository root (the folder holding MtkFlash.sln), found from the test binary's location.</summary>
    public static class RepoRoot
    {
        public static readonly string Path = Find();

        static string Find()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MtkFlash.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MtkFlash.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
