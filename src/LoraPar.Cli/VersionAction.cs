using System.CommandLine;
using System.CommandLine.Invocation;

namespace LoraPar.Cli;

/// <summary>Prints lorapar's own version for <c>--version</c> (the default prints the host's entry assembly).</summary>
internal sealed class VersionAction(TextWriter stdout) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        stdout.WriteLine(ToolVersion.Current);
        return 0;
    }
}
