using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MtkFlash.Core.Operations
{
    /// <summary>
    /// A parameter, option or command that a front end names in its own words: PowerShell says -SkipBackup, the CLI says
    /// --no-backup. The core never writes either spelling into a message; it names the term and each front end words it.
    /// </summary>
    public enum FrontEndTerm
    {
        /// <summary>Write-DriveFirmware -AllowCrossFlash / mtkflash write --allow-crossflash.</summary>
        AllowCrossFlash,
        /// <summary>Write-DriveFirmware -AllowUnlistedModel / mtkflash write --allow-unlisted-model.</summary>
        AllowUnlistedModel,
        /// <summary>Write-DriveFirmware -SkipBackup / --no-backup.</summary>
        SkipBackup,
        /// <summary>Write-DriveFirmware -Recover / --recover.</summary>
        Recover,
        /// <summary>The switch that skips the extra confirmation: -Force / --yes.</summary>
        Force,
        /// <summary>Replace an existing file: New-VirtualFirmwareImage -Force / mtkflash virtual image --force.</summary>
        Overwrite,
        /// <summary>How to run a write without anyone answering: -Force -Confirm:$false / --yes.</summary>
        Unattended,
        /// <summary>Show the plan, send nothing: -WhatIf / --dry-run.</summary>
        DryRun,
        /// <summary>The folder of Backup-DriveFirmware: -Path / mtkflash backup --out.</summary>
        BackupFolder,
        /// <summary>The folder of the automatic backup before a write: -BackupPath / --backup-dir.</summary>
        WriteBackupFolder,
        /// <summary>Get-OpticalDrive / mtkflash list.</summary>
        ListDrives,
        /// <summary>Test-FirmwareImage / mtkflash test.</summary>
        TestImage,
        /// <summary>Write-DriveFirmware / mtkflash write.</summary>
        WriteFirmware,
        /// <summary>New-VirtualOpticalDrive / mtkflash virtual new.</summary>
        NewVirtualDrive,
        /// <summary>Remove-VirtualOpticalDrive / mtkflash virtual remove.</summary>
        RemoveVirtualDrive,
        /// <summary>The switch that lets a removal clear MtkFlash's own files from a folder that is not a drive: mtkflash virtual remove --force.</summary>
        ForceRemove,
        /// <summary>Get-VirtualOpticalDrive / mtkflash virtual list.</summary>
        ListVirtualDrives,
        /// <summary>Get-VirtualOpticalDriveProfile / mtkflash virtual profiles.</summary>
        ListProfiles,
    }

    /// <summary>
    /// What the user can do about an error, as text and <see cref="FrontEndTerm"/>s. The front end renders each term in
    /// its own spelling (<see cref="Render"/>); <see cref="ToString"/> gives a neutral form for logs. Plain text converts
    /// implicitly, for advice that names no parameter ("Check the cable and power of the drive").
    /// </summary>
    public sealed class Remedy
    {
        readonly object[] _parts;

        Remedy(object[] parts) { _parts = parts; }

        /// <summary>A remedy from strings and <see cref="FrontEndTerm"/> values, in reading order.</summary>
        public static Remedy Of(params object[] parts)
        {
            if (parts == null || parts.Length == 0) throw new ArgumentException("A remedy needs at least one part.", nameof(parts));
            foreach (var p in parts)
                if (!(p is string) && !(p is FrontEndTerm)) throw new ArgumentException("A remedy is made of strings and FrontEndTerm values.", nameof(parts));
            return new Remedy((object[])parts.Clone());
        }

        public static implicit operator Remedy(string text) => text == null ? null : new Remedy(new object[] { text });

        /// <summary>The parameters and commands the remedy names, in order.</summary>
        public IReadOnlyList<FrontEndTerm> Terms => _parts.OfType<FrontEndTerm>().ToList();

        /// <summary>The remedy in a front end's words.</summary>
        public string Render(Func<FrontEndTerm, string> name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            var sb = new StringBuilder();
            foreach (var p in _parts) sb.Append(p is FrontEndTerm t ? name(t) : (string)p);
            return sb.ToString();
        }

        /// <summary>Neutral form: each term by its name ("add AllowCrossFlash").</summary>
        public override string ToString() => Render(t => t.ToString());
    }

    /// <summary>The remedies more than one operation gives, so every front end and every operation words them alike.</summary>
    public static class Remedies
    {
        public static Remedy UnlistedModel => Remedy.Of("Use a drive model the flasher lists, or add ", FrontEndTerm.AllowUnlistedModel,
            " only if you know this model takes the same sequence (", FrontEndTerm.Force, " is not enough; the history records the override).");

        public static Remedy CheckImage => Remedy.Of("Check the file with ", FrontEndTerm.TestImage, ".");

        public static Remedy Unattended => Remedy.Of("Answer the prompt in an interactive session, or add ", FrontEndTerm.Unattended,
            " for unattended runs (", FrontEndTerm.DryRun, " shows the plan and sends nothing).");

        public static Remedy VirtualDriveNotFound(string name) => Remedy.Of("List the virtual drives with ", FrontEndTerm.ListVirtualDrives,
            "; create this one with ", FrontEndTerm.NewVirtualDrive, " (name '" + name + "', a profile from ", FrontEndTerm.ListProfiles, ").");

        public static Remedy MissingFolder(FrontEndTerm folderParameter) => Remedy.Of("Create the folder first, or give another ", folderParameter, ".");
    }
}
