using System;
using System.Collections.Generic;
using System.IO;
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
                else Fail(host, "DriveNotFound", OperationErrorCategory.ObjectNotFound, "No virtual drive named '" + name + "'.", path);
                return null;
            }
            if (!host.ShouldProcess(path, "Remove the virtual drive and its flash contents")) return null;
            IReadOnlyList<string> kept;
            try { kept = Store.Remove(name, force); }
            catch (VirtualFolderNotADriveException ex)
            {
                Fail(host, "FolderNotADrive", OperationErrorCategory.InvalidOperation, ex.Message, path,
                    "mtkflash virtual remove " + name + " --force removes only MtkFlash's own files from it and keeps everything else.");
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
            if (!VirtualDriveStore.IsValidName(name) || Store.Inspect(name) == null)
            {
                Fail(host, VirtualDriveStore.IsValidName(name) ? "DriveNotFound" : "InvalidDriveName",
                    VirtualDriveStore.IsValidName(name) ? OperationErrorCategory.ObjectNotFound : OperationErrorCategory.InvalidArgument,
                    VirtualDriveStore.IsValidName(name) ? "No virtual drive named '" + name + "'." : Describe(() => VirtualDriveStore.ValidateName(name)), nameOrPath);
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

        static OpticalDrive Fail(IOperationHost host, string id, OperationErrorCategory category, string message, object target, string recommendedAction = null)
        {
            host.WriteError(new OperationError(id, category, message, target, null, recommendedAction));
            return null;
        }

        static string Describe(Action validate)
        {
            try { validate(); return null; }
            catch (ArgumentException ex) { return ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]; }
        }
    }
}
