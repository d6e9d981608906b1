using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MtkFlash.Core.Infrastructure;
using Xunit;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// The built module as PowerShell loads it: InitialSessionState.CreateDefault2() plus Import-Module of MtkFlash.psd1 from
    /// the build output (the manifest, format file and both assemblies are copied next to the tests). Shared by the tests
    /// of the <see cref="PowerShellCollection"/>; each test opens its own runspace (<see cref="PowerShellSession"/>).
    /// No execution policy is set: a binary module needs none, and setting one throws on Linux.
    /// </summary>
    public sealed class ModuleFixture
    {
        public ModuleFixture()
        {
            ManifestPath = Path.Combine(AppContext.BaseDirectory, "MtkFlash.psd1");
            if (!File.Exists(ManifestPath)) throw new FileNotFoundException("The module manifest is not in the test output.", ManifestPath);
            State = InitialSessionState.CreateDefault2();
            State.ImportPSModule(new[] { ManifestPath });
        }

        public string ManifestPath { get; }
        public InitialSessionState State { get; }
    }

    /// <summary>
    /// The in-process cmdlet tests run one at a time: a cmdlet finds MTKFLASH_HOME in the process environment, so each
    /// test points it at its own folder. (No other test reads that variable; they pass their home explicitly.)
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class PowerShellCollection : ICollectionFixture<ModuleFixture>
    {
        public const string Name = "PowerShell runspace";
    }

    /// <summary>What one pipeline produced, stream by stream.</summary>
    public sealed class PowerShellRun
    {
        public List<PSObject> Output = new List<PSObject>();
        public List<ErrorRecord> Errors = new List<ErrorRecord>();
        public List<ProgressRecord> Progress = new List<ProgressRecord>();
        public List<string> Verbose = new List<string>();
        public List<string> Warnings = new List<string>();
        public List<string> Debug = new List<string>();
        /// <summary>The terminating error, if the pipeline stopped with one.</summary>
        public RuntimeException Terminating;

        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

        public ErrorRecord SingleError()
        {
            Assert.True(Errors.Count == 1, "expected one error, got " + Errors.Count + ": " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + " " + e)));
            return Errors[0];
        }

        public override string ToString() =>
            "output: " + string.Join(", ", Output) + "\nerrors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)) +
            "\nwarnings: " + string.Join(" | ", Warnings) + (Terminating == null ? "" : "\nterminating: " + Terminating.ErrorRecord?.FullyQualifiedErrorId + ": " + Terminating.Message);
    }

    /// <summary>
    /// One runspace with the module imported and a private MTKFLASH_HOME (virtual drives, backups, history), deleted at the
    /// end. Scripts run as a user types them; variables are passed in by name.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        readonly string _previousHome;
        readonly TempHome _home = new TempHome();

        public PowerShellSession(ModuleFixture module)
        {
            _previousHome = Environment.GetEnvironmentVariable(MtkFlashContext.HomeVariable);
            Environment.SetEnvironmentVariable(MtkFlashContext.HomeVariable, _home.Path);
            Runspace = RunspaceFactory.CreateRunspace(module.State);
            Runspace.Open();
        }

        public Runspace Runspace { get; }
        public string Home => _home.Path;

        /// <summary>A folder under the private home (created).</summary>
        public string Folder(string name)
        {
            var path = _home.Sub(name);
            Directory.CreateDirectory(path);
            return path;
        }

        public PowerShellRun Run(string script, params (string Name, object Value)[] variables)
        {
            foreach (var (name, value) in variables) Runspace.SessionStateProxy.SetVariable(name, value);
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = Runspace;
                ps.AddScript(script);
                var run = new PowerShellRun();
                try { run.Output.AddRange(ps.Invoke()); }
                catch (RuntimeException ex) { run.Terminating = ex; }
                run.Errors.AddRange(ps.Streams.Error);
                run.Progress.AddRange(ps.Streams.Progress);
                run.Verbose.AddRange(ps.Streams.Verbose.Select(v => v.Message));
                run.Warnings.AddRange(ps.Streams.Warning.Select(w => w.Message));
                run.Debug.AddRange(ps.Streams.Debug.Select(d => d.Message));
                return run;
            }
        }

        /// <summary>Runs a script that must not fail, and returns its output.</summary>
        public List<PSObject> Ok(string script, params (string Name, object Value)[] variables)
        {
            var run = Run(script, variables);
            Assert.True(run.Errors.Count == 0 && run.Terminating == null, script + "\n" + run);
            return run.Output;
        }

        /// <summary>What TabExpansion2 offers at the end of <paramref name="line"/>.</summary>
        public List<CompletionResult> Complete(string line)
        {
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = Runspace;
                return CommandCompletion.CompleteInput(line, line.Length, null, ps).CompletionMatches.ToList();
            }
        }

        public void Dispose()
        {
            Runspace.Dispose();
            Environment.SetEnvironmentVariable(MtkFlashContext.HomeVariable, _previousHome);
            _home.Dispose();
        }
    }
}
