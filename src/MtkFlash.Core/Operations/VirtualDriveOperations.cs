using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Infrastructure;
using MtkFlash.Core.Scsi;
using MtkFlash.Core.Transports;
using MtkFlash.Core.Virtual;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// Create, remove and tune virtual drives (New-/Remove-VirtualOpticalDrive, `mtkflash virtual`). Bad names, profiles
    /// and revisions are InvalidArgument errors; every state change goes through ShouldProcess.
    /// </summary>
    public sealed class VirtualDriveOperations
    {
        readonly MtkFlashContext _context;

        public VirtualDriveOperations(MtkFlashContext context)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            Store = new VirtualDriveStore(context.HomeDirectory, context.Clock);
        }

        public VirtualDriveStore Store { get; }

        /// <summary>Creates a drive and returns it as the inventory sees it; null when refused (WhatIf or an error written to the host).</summary>
        public OpticalDrive New(IOperationHost host, string name, string profile, string revision = null, bool withDisc = false)
        {
            var path = VirtualDrivePlatform.Prefix + name;
            if (!VirtualDriveStore.IsValidNewName(name))
                return Fail(host, "InvalidDriveName", OperationErrorCategory.InvalidArgument, Describe(() => VirtualDriveStore.ValidateNewName(name)), name);
            var p = VirtualProfiles.Find(profile);
            if (p == null)
                return Fail(host, "UnknownProfile", OperationErrorCategory.InvalidArgument, Describe(() => VirtualProfiles.Get(profile)), profile);
            if (revision != null && Describe(() => SyntheticImages.ValidateRevision(revision)) is string bad)
                return Fail(host, "InvalidRevision", OperationErrorCategory.InvalidArgument, bad, revision);
            if (Store.Exists(name))
            {
                var damage = Store.Inspect(name)?.Damage;
                return Fail(host, "DriveExists", OperationErrorCategory.ResourceExists, "A virtual drive named '" + name + "' already exists" +
                    (damage != null ? " and is damaged (" + damage + ")" : string.Empty) + ". Remove it first or pick another name.", path,
                    "mtkflash virtual remove " + name + " (Remove-VirtualOpticalDrive -Name " + name + ") removes it.");
            }
            if (!host.ShouldProcess(path, "Create a virtual " + p.Vendor + " " + p.Product + " " + (revision ?? p.Revision) + " drive (profile " + p.Name + ")"))
                return null;
            try { Store.Create(name, p.Name, revision, withDisc); }
            catch (VirtualFolderNotADriveException ex)
            {
                return Fail(host, "FolderNotADrive", OperationErrorCategory.ResourceExists, ex.Message, path,
                    "Pick another name, or move what you want to keep out of " + ex.Folder + " and run: mtkflash virtual remove " + name +
                    " --force (it removes only MtkFlash's own files from the folder).");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                host.WriteError(OperationErrors.FromException(ex, path, "Cannot create " + path + " in " + Store.Root));
                return null;
            }
            host.WriteVerbose("Created " + path + " in " + Store.FolderOf(name) + ".");
            var drive = Identify(name);
            host.WriteObject(drive);
            return drive;
        }

        /// <summary>
        /// Removes a drive given as NAME or virtual:NAME, damaged or not. Only MtkFlash's own files are deleted; anything else
        /// in the folder is kept and named in a warning. A folder that is not a drive (no drive.json) needs
        /// <paramref name="force"/>. Returns what was removed, or null.
        /// </summary>
        public VirtualDriveInfo Remove(IOperationHost host, string nameOrPath, bool force = false)
        {
            var name = VirtualDriveStore.NameFromPath(nameOrPath);
            if (!VirtualDriveStore.IsValidName(name))
            {
                Fail(host, "InvalidDriveName", OperationErrorCategory.InvalidArgument, Describe(() => VirtualDriveStore.ValidateName(name)), nameOrPath);
                return null;
            }
            var path = VirtualDrivePlatform.Prefix + name;
            var info = Store.Inspect(name);
            if (info == null)
            {
                if (Directory.Exists(Store.FolderOf(name)))
                    Fail(host, "FolderNotADrive", OperationErrorCategory.ObjectNotFound,
                        "No virtual drive named '" + name + "': the folder " + Store.FolderOf(name) + " holds none of MtkFlash's files; nothing was changed.", path);
                else host.WriteError(NotFound(name));
                return null;
            }
            if (!host.ShouldProcess(path, "Remove the virtual drive and its flash contents")) return null;
            IReadOnlyList<string> kept;
            try { kept = Store.Remove(name, force); }
            catch (VirtualFolderNotADriveException ex)
            {
                Fail(host, "FolderNotADrive", OperationErrorCategory.InvalidOperation, ex.Message, path,
                    Remedy.Of("Removing it with ", FrontEndTerm.RemoveVirtualDrive, " and ", FrontEndTerm.ForceRemove, " removes only MtkFlash's own files from it and keeps everything else."));
                return null;
            }
            catch (Exception ex) when (ex is DriveCommunicationException || ex is IOException || ex is UnauthorizedAccessException)
            {
                host.WriteError(OperationErrors.FromException(ex, path, ex is DriveCommunicationException ? null : "Cannot remove " + path));
                return null;
            }
            if (kept.Count > 0)
                host.WriteWarning("Kept " + info.Folder + ": it holds files MtkFlash did not create (" + string.Join(", ", kept) + "); only MtkFlash's own files were removed.");
            host.WriteVerbose("Removed " + path + ".");
            return info;
        }

        /// <summary>Changes the injected faults of a drive; returns the result or null when refused.</summary>
        public VirtualDriveFaults SetFaults(IOperationHost host, string nameOrPath, Action<VirtualDriveFaults> change, TrayState? tray = null)
        {
            var name = VirtualDriveStore.NameFromPath(nameOrPath);
            if (!VirtualDriveStore.IsValidName(name))
            {
                Fail(host, "InvalidDriveName", OperationErrorCategory.InvalidArgument, Describe(() => VirtualDriveStore.ValidateName(name)), nameOrPath);
                return null;
            }
            if (Store.Inspect(name) == null)
            {
                host.WriteError(NotFound(name));
                return null;
            }
            if (!host.ShouldProcess(VirtualDrivePlatform.Prefix + name, "Change injected faults")) return null;
            try
            {
                if (tray != null) Store.SetTray(name, tray.Value);
                return Store.SetFaults(name, change);
            }
            catch (Exception ex) when (ex is DriveCommunicationException || ex is IOException || ex is UnauthorizedAccessException)
            {
                host.WriteError(OperationErrors.FromException(ex, VirtualDrivePlatform.Prefix + name));
                return null;
            }
        }

        /// <summary>
        /// The store's drives whose name or path matches a pattern (wildcards allowed; none: all). A name without a wildcard
        /// that matches nothing is DriveNotFound, as in every other cmdlet.
        /// </summary>
        public IReadOnlyList<VirtualDriveInfo> List(IOperationHost host, IReadOnlyList<string> namesOrPaths = null)
        {
            var all = Store.List();
            var result = Select(host, all, namesOrPaths, d => new[] { d.Name, d.Path }, name => NotFound(VirtualDriveStore.NameFromPath(name)));
            foreach (var d in result) host.WriteObject(d);
            return result;
        }

        /// <summary>The profiles whose name matches a pattern (wildcards allowed; none: all). An unknown literal name is UnknownProfile.</summary>
        public IReadOnlyList<VirtualProfile> Profiles(IOperationHost host, IReadOnlyList<string> names = null)
        {
            var result = Select(host, VirtualProfiles.All, names, p => new[] { p.Name }, name =>
                new OperationError("UnknownProfile", OperationErrorCategory.InvalidArgument, Describe(() => VirtualProfiles.Get(name)), name));
            foreach (var p in result) host.WriteObject(p);
            return result;
        }

        /// <summary>
        /// Writes a synthetic firmware image for a profile (structurally faithful, no real firmware code) and returns the
        /// analysis of the written file. Never replaces a file unless <paramref name="overwrite"/>.
        /// </summary>
        public Firmware.FirmwareImageReport NewImage(IOperationHost host, string profile, string revision, string destination, bool overwrite = false)
        {
            var p = VirtualProfiles.Find(profile);
            if (p == null) { Fail(host, "UnknownProfile", OperationErrorCategory.InvalidArgument, Describe(() => VirtualProfiles.Get(profile)), profile); return null; }
            if (revision != null && Describe(() => SyntheticImages.ValidateRevision(revision)) is string bad)
            {
                Fail(host, "InvalidRevision", OperationErrorCategory.InvalidArgument, bad, revision);
                return null;
            }
            string full;
            try { full = System.IO.Path.GetFullPath(destination); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException)
            {
                Fail(host, "InvalidPath", OperationErrorCategory.InvalidArgument, "'" + destination + "' is not a valid file path: " + ex.Message, destination);
                return null;
            }
            if (System.IO.Directory.Exists(full) || (System.IO.File.Exists(full) && !overwrite))
            {
                host.WriteError(new OperationError("DestinationExists", OperationErrorCategory.ResourceExists, "'" + destination + "' already exists.", destination, null,
                    Remedy.Of("Choose another name, or add ", FrontEndTerm.Overwrite, " to replace the file.")));
                return null;
            }
            var rev = revision ?? p.Revision;
            if (!host.ShouldProcess(full, "Write a synthetic " + p.Vendor + " " + p.Product + " " + rev + " firmware image (profile " + p.Name + ")")) return null;
            try
            {
                System.IO.File.WriteAllBytes(full, SyntheticImages.Build(p, rev));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                host.WriteError(OperationErrors.FromException(ex, destination, "Writing " + destination));
                return null;
            }
            var report = Firmware.FirmwareAnalyzer.AnalyzeFile(full);
            host.WriteVerbose("Wrote " + full + " (" + report.Size + " bytes, " + p.Name + " " + rev + ").");
            host.WriteObject(report);
            return report;
        }

        /// <summary>Fault changes from a front end: null members leave a fault as it is.</summary>
        public sealed class FaultRequest
        {
            /// <summary>Remove every injected fault before applying the others.</summary>
            public bool Clear { get; set; }
            public int? PowerLossAfter { get; set; }
            public int? HangAfter { get; set; }
            /// <summary>KIND[:COUNT] each (unit-attention, microcode-changed, not-ready, busy).</summary>
            public IReadOnlyList<string> Transients { get; set; }
            /// <summary>The transient answers start after this many more commands (places a fault on a chosen command); needs a transient.</summary>
            public int? TransientsAfter { get; set; }
            public TrayState? Tray { get; set; }
        }

        /// <summary>Validates and applies a fault request; returns the drive afterwards, or null when refused.</summary>
        public VirtualDriveInfo ApplyFaults(IOperationHost host, string nameOrPath, FaultRequest request)
        {
            var transients = new List<TransientFault>();
            foreach (var t in request.Transients ?? new string[0])
            {
                try { transients.Add(TransientFault.Parse(t)); }
                catch (FormatException ex) { Fail(host, "InvalidFault", OperationErrorCategory.InvalidArgument, ex.Message, t); return null; }
            }
            if (request.PowerLossAfter < 0 || request.HangAfter < 0 || request.TransientsAfter < 0)
            {
                Fail(host, "InvalidFault", OperationErrorCategory.InvalidArgument, "Command counts cannot be negative.", nameOrPath);
                return null;
            }
            if (request.TransientsAfter != null && transients.Count == 0)
            {
                Fail(host, "InvalidFault", OperationErrorCategory.InvalidArgument, "'after' places a transient fault; give one.", nameOrPath);
                return null;
            }
            foreach (var t in transients) t.After = request.TransientsAfter ?? 0;
            var faults = SetFaults(host, nameOrPath, f =>
            {
                if (request.Clear) { f.PowerLossAfter = null; f.HangAfter = null; f.Transients.Clear(); }
                if (request.PowerLossAfter != null) f.PowerLossAfter = request.PowerLossAfter;
                if (request.HangAfter != null) f.HangAfter = request.HangAfter;
                f.Transients.AddRange(transients);
            }, request.Tray);
            if (faults == null) return null;
            var info = Store.Get(VirtualDriveStore.NameFromPath(nameOrPath));
            host.WriteVerbose(info.Path + " faults: " + faults + "; tray " + Serialization.Json.EnumName(info.Tray) + ".");
            return info;
        }

        static List<T> Select<T>(IOperationHost host, IReadOnlyList<T> all, IReadOnlyList<string> patterns, Func<T, string[]> keys, Func<string, OperationError> notFound)
        {
            if (patterns == null || patterns.Count == 0) return all.ToList();
            var result = new List<T>();
            foreach (var pattern in patterns)
            {
                var matches = all.Where(x => keys(x).Any(k => Wildcard.IsMatch(k, pattern))).ToList();
                if (matches.Count == 0 && !Wildcard.HasWildcard(pattern)) host.WriteError(notFound(pattern));
                foreach (var m in matches) if (!result.Contains(m)) result.Add(m);
            }
            return result;
        }

        /// <summary>The drive as the inventory reports it (INQUIRY, GET CONFIGURATION, TEST UNIT READY).</summary>
        public OpticalDrive Identify(string name)
        {
            var info = Store.Get(name);
            var entry = new DeviceEntry { Path = info.Path, Location = "virtual", Vendor = info.Vendor, Product = info.Product, Revision = info.Revision, IsVirtual = true };
            try
            {
                using (var transport = Store.Open(name, DriveAccess.Shared))
                    return DriveIdentifier.Identify(transport, entry, _context.Clock);
            }
            catch (DriveCommunicationException ex) { return DriveIdentifier.NotResponding(entry, ex.Message); }
        }

        static OperationError NotFound(string name) =>
            new OperationError("DriveNotFound", OperationErrorCategory.ObjectNotFound, "No virtual drive named '" + name + "'.",
                VirtualDrivePlatform.Prefix + name, null, Remedies.VirtualDriveNotFound(name));

        static OpticalDrive Fail(IOperationHost host, string id, OperationErrorCategory category, string message, object target, Remedy remedy = null)
        {
            host.WriteError(new OperationError(id, category, message, target, null, remedy));
            return null;
        }

        static string Describe(Action validate)
        {
            try { validate(); return null; }
            catch (ArgumentException ex) { return ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]; }
        }
    }
}
