using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace NlbTools.Tests;

/// <summary>A host whose prompts are answered by a script, and which records what it was asked and shown.</summary>
public sealed class ScriptedHost : PSHost
{
    private readonly ScriptedUI _ui;

    public ScriptedHost(Func<string, string, int> answer) => _ui = new ScriptedUI(answer);

    public List<(string Caption, string Message)> Prompts => _ui.Prompts;
    public List<string> Lines => _ui.Lines;

    public override string Name => "NlbTools.Tests";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class ScriptedUI : PSHostUserInterface
    {
        private readonly Func<string, string, int> _answer;

        public ScriptedUI(Func<string, string, int> answer) => _answer = answer;

        public List<(string Caption, string Message)> Prompts { get; } = new();
        public List<string> Lines { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (Prompts) Prompts.Add((caption, message));
            return _answer(caption, message);
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => "";
        public override SecureString ReadLineAsSecureString() => new();
        public override void Write(string value) => Add(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Add(value);
        public override void WriteLine(string value) => Add(value);
        public override void WriteErrorLine(string value) => Add(value);
        public override void WriteDebugLine(string message) => Add(message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Add(message);
        public override void WriteWarningLine(string message) => Add(message);

        private void Add(string line)
        {
            lock (Lines) Lines.Add(line);
        }
    }
}
