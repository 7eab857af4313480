using System.CommandLine;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar clean &lt;manifest&gt;...</c>: removes artifacts that none of the given manifests uses.</summary>
public static class CleanCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifests = new Argument<string[]>("manifests") { Description = "Manifests whose artifacts are kept.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("clean", "Remove every artifact that none of the given manifests references.") { manifests };
        command.SetAction(parsed =>
        {
            PipelineCommandContext.Service(stdout).Clean(parsed.GetValue(manifests)!);
            return 0;
        });
        return command;
    }
}
