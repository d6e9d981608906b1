using System.Collections.Generic;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// A platform over a real one (usually the virtual drives) whose opened drives pass every command through
    /// <see cref="Execute"/>: the one way tests and benchmarks watch, delay or alter what a drive answers without a fake
    /// drive. Everything else (name, enumeration, rights) is the inner platform's unless a subclass says otherwise.
    /// </summary>
    public abstract class InterceptingPlatform : IDrivePlatform
    {
        protected InterceptingPlatform(IDrivePlatform inner) { InnerPlatform = inner; }

        protected IDrivePlatform InnerPlatform { get; }

        public string Name => InnerPlatform.Name;
        public bool Handles(string path) => InnerPlatform.Handles(path);
        public IReadOnlyList<DeviceEntry> Enumerate() => InnerPlatform.Enumerate();
        public virtual string MissingRawIoRights() => InnerPlatform.MissingRawIoRights();
        public virtual IScsiTransport Open(string path, DriveAccess access) => new Intercepted(this, path, InnerPlatform.Open(path, access));

        /// <summary>One command to the drive opened as <paramref name="path"/>; <paramref name="drive"/> sends it on.</summary>
        protected abstract ScsiResponse Execute(string path, ScsiRequest request, IScsiTransport drive);

        sealed class Intercepted : IScsiTransport
        {
            readonly InterceptingPlatform _platform;
            readonly string _openedAs;
            readonly IScsiTransport _drive;
            public Intercepted(InterceptingPlatform platform, string openedAs, IScsiTransport drive) { _platform = platform; _openedAs = openedAs; _drive = drive; }
            public string Path => _drive.Path;
            public void Dispose() => _drive.Dispose();
            public ScsiResponse Execute(ScsiRequest request) => _platform.Execute(_openedAs, request, _drive);
        }
    }
}
