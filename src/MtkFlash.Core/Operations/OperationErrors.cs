using System;
using System.IO;
using MtkFlash.Core.Scsi;

namespace MtkFlash.Core.Operations
{
    /// <summary>Turns exceptions into errors with stable ids and categories, the same way for every operation.</summary>
    public static class OperationErrors
    {
        /// <summary>
        /// ImageNotFound (category ObjectNotFound, target: the path) when there is neither a file nor a folder at the path,
        /// else null. The one error for a missing image or backup, in every cmdlet and command that takes one.
        /// </summary>
        public static OperationError CheckImageExists(string path) =>
            File.Exists(path) || Directory.Exists(path) ? null
                : new OperationError("ImageNotFound", OperationErrorCategory.ObjectNotFound, "The image '" + path + "' does not exist.", path);

        public static OperationError FromException(Exception ex, object target, string context = null)
        {
            string prefix = string.IsNullOrEmpty(context) ? string.Empty : context + ": ";
            switch (ex)
            {
                case ScsiTimeoutException t:
                    return new OperationError("DriveTimeout", OperationErrorCategory.OperationTimeout, prefix + t.Message, target, ex,
                        "Check the cable and power of the drive, then run the command again.");
                case DriveAccessDeniedException a:
                    return new OperationError(a.Reason == AccessDeniedReason.Open ? "DriveOpenDenied" : "DriveCommandDenied",
                        OperationErrorCategory.PermissionDenied, prefix + a.Message, target, ex);
                case ScsiCommandException c:
                    return new OperationError("DriveCommandFailed", OperationErrorCategory.DeviceError, prefix + c.Message, target, ex);
                case DriveBusyException b:
                    return new OperationError("DriveInUse", OperationErrorCategory.ResourceBusy, prefix + b.Message, target, ex,
                        "Wait for the other program (or MtkFlash process) using the drive to finish, then try again.");
                case NoSuchDriveException nf:
                    return new OperationError("DriveNotFound", OperationErrorCategory.ObjectNotFound, prefix + nf.Message, target, ex,
                        nf.Remedy ?? Remedy.Of("List the drives with ", FrontEndTerm.ListDrives, "."));
                case Virtual.VirtualDriveDamagedException v:
                    return new OperationError("DriveDamaged", OperationErrorCategory.InvalidData, prefix + v.Message, target, ex,
                        Remedy.Of("Remove the damaged drive with ", FrontEndTerm.RemoveVirtualDrive, " (name '" + Virtual.VirtualDriveStore.NameFromPath(v.DrivePath) +
                        "') and create it again."));
                case DriveNotRespondingException n:
                    return new OperationError("DriveNotResponding", OperationErrorCategory.ResourceUnavailable, prefix + n.Message, target, ex);
                case UnauthorizedAccessException u:
                    return new OperationError("AccessDenied", OperationErrorCategory.PermissionDenied, prefix + u.Message, target, ex);
                case DirectoryNotFoundException d:
                    return new OperationError("PathNotFound", OperationErrorCategory.ObjectNotFound, prefix + d.Message, target, ex);
                case FileNotFoundException f:
                    return new OperationError("PathNotFound", OperationErrorCategory.ObjectNotFound, prefix + f.Message, target, ex);
                case IOException io:
                    return new OperationError("IOError", OperationErrorCategory.WriteError, prefix + io.Message, target, ex);
                case ConfirmationUnavailableException c:
                    return new OperationError("ConfirmationRequired", OperationErrorCategory.InvalidOperation,
                        prefix + "The change needs a confirmation and nobody can answer the prompt (" + c.Message + "); nothing was changed.", target, ex, Remedies.Unattended);
                case OperationCanceledException _:
                    return new OperationError("OperationStopped", OperationErrorCategory.OperationStopped, prefix + "The operation was stopped.", target, ex);
                default:
                    return new OperationError("UnexpectedError", OperationErrorCategory.NotSpecified, prefix + ex.Message, target, ex);
            }
        }
    }
}
