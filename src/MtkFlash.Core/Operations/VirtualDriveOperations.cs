using System;
using System.Collections.Generic;
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
            if (!VirtualDriveStore.IsValidName(name))
                return Fail(host, "InvalidDriveName", OperationErrorCategory.InvalidArgument, Describe(() => VirtualDriveStore.ValidateName(name)), name);
            var p = VirtualProfiles.Find(profile);
            if (p == null)
                return Fail(host, "UnknownProfile", OperationErrorCategory.InvalidArgument, Describe(() => VirtualProfiles.Get(profile)), profile);
            if (revision != null && Describe(() => SyntheticImages.ValidateRevision(revision)) is string bad)
                return Fail(host, "InvalidRevision", OperationErrorCategory.InvalidArgument, bad, revision);
            if (Store.Exists(name))
                return Fail(host, "DriveExists", OperationErrorCategory.ResourceExists, "A virtual drive named '" + name + "' already exists. Remove it first or pick another name.", path);
            if (!host.ShouldProcess(path, "Create a virtual " + p.Vendor + " " + p.Product + " " + (revision ?? p.Revision) + " drive (profile " + p.Name + ")"))
                return null;
            Store.Create(name, p.Name, revision, withDisc);
            host.WriteVerbose("Created " + path + " in " + Store.FolderOf(name) + ".");
            var drive = Identify(name);
            host.WriteObject(drive);
            return drive;
        }

        /// <summary>Removes a drive given as NAME or virtual:NAME. Returns what was removed, or null.</summary>
        public VirtualDriveInfo Remove(IOperationHost host, string nameOrPath)
        {
            var name = VirtualDriveStore.NameFromPath(nameOrPath);
            if (!VirtualDriveStore.IsValidName(name))
            {
                Fail(host, "InvalidDriveName", OperationErrorCategory.InvalidArgument, Describe(() => VirtualDriveStore.ValidateName(name)), nameOrPath);
                return null;
            }
            var path = VirtualDrivePlatform.Prefix + name;
            if (!Store.Exists(name))
            {
                Fail(host, "DriveNotFound", OperationErrorCategory.ObjectNotFound, "No virtual drive named '" + name + "'.", path);
                return null;
            }
            var info = Store.Get(name);
            if (!host.ShouldProcess(path, "Remove the virtual drive and its flash contents")) return null;
            try { Store.Remove(name); }
            catch (DriveBusyException ex) { host.WriteError(OperationErrors.FromException(ex, path)); return null; }
            host.WriteVerbose("Removed " + path + ".");
            return info;
        }

        /// <summary>Changes the injected faults of a drive; returns the result or null when refused.</summary>
        public VirtualDriveFaults SetFaults(IOperationHost host, string nameOrPath, Action<VirtualDriveFaults> change, TrayState? tray = null)
        {
            var name = VirtualDriveStore.NameFromPath(nameOrPath);
            if (!VirtualDriveStore.IsValidName(name) || !Store.Exists(name))
            {
                Fail(host, VirtualDriveStore.IsValidName(name) ? "DriveNotFound" : "InvalidDriveName",
                    VirtualDriveStore.IsValidName(name) ? OperationErrorCategory.ObjectNotFound : OperationErrorCategory.InvalidArgument,
                    VirtualDriveStore.IsValidName(name) ? "No virtual drive named '" + name + "'." : Describe(() => VirtualDriveStore.ValidateName(name)), nameOrPath);
                return null;
            }
            if (!host.ShouldProcess(VirtualDrivePlatform.Prefix + name, "Change injected faults")) return null;
            if (tray != null) Store.SetTray(name, tray.Value);
            return Store.SetFaults(name, change);
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

        static OpticalDrive Fail(IOperationHost host, string id, OperationErrorCategory category, string message, object target)
        {
            host.WriteError(new OperationError(id, category, message, target));
            return null;
        }

        static string Describe(Action validate)
        {
            try { validate(); return null; }
            catch (ArgumentException ex) { return ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]; }
        }
    }
}
