// A PowerShell host that answers choice prompts from a script and records them, so Pester can drive the
// Confirm / ShouldContinue prompts of a real runspace (loaded with Add-Type by Errors.Tests.ps1).
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace MtkFlashPester
{
    public sealed class ScriptedHost : PSHost
    {
        readonly ScriptedUI _ui;
        public ScriptedHost(string[] answers) { _ui = new ScriptedUI(answers); }
        public List<string> Prompts => _ui.Prompts;
        public override string Name => "MtkFlashPesterHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class ScriptedUI : PSHostUserInterface
    {
        readonly Queue<string> _answers;
        public ScriptedUI(string[] answers) { _answers = new Queue<string>(answers); }
        public List<string> Prompts { get; } = new List<string>();
        public override PSHostRawUserInterface RawUI => null;

        /// <summary>Answers with the choice whose label (without the hot-key ampersand) is the next scripted answer.</summary>
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var labels = choices.Select(c => c.Label.Replace("&", string.Empty)).ToList();
            Prompts.Add(caption + " | " + message + " | " + string.Join(", ", labels));
            if (_answers.Count == 0) throw new InvalidOperationException("Unexpected prompt: " + caption + " " + message);
            var answer = _answers.Dequeue();
            var index = labels.IndexOf(answer);
            if (index < 0) throw new InvalidOperationException("The prompt offers no '" + answer + "': " + string.Join(", ", labels));
            return index;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
