using System;
using System.IO;

namespace MtkFlash.Tests.Support
{
    /// <summary>A private MTKFLASH_HOME for one test, deleted afterwards.</summary>
    public sealed class TempHome : IDisposable
    {
        public TempHome()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mtkflash-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Sub(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts));

        public void Dispose()
        {
            try { Directory.Delete(Path, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static class ArrayConcat
    {
        public static T[] Concat<T>(this T[] a, T[] b)
        {
            var r = new T[a.Length + b.Length];
            a.CopyTo(r, 0); b.CopyTo(r, a.Length);
            return r;
        }
    }
}
