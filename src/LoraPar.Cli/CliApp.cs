using System.CommandLine;
using LoraPar.Cli.Commands;
using LoraPar.Core;
using LoraPar.Pipeline.Benchmarks;

namespace LoraPar.Cli;

/// <summary>The lorapar command line: parses, dispatches to one core call per verb, maps failures to exit codes.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every working verb.</summary>
    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("lorapar — LoRA-PAR: dual-system LoRA partitioning, trained with SFT then GRPO.");
        foreach (var version in root.Options.OfType<VersionOption>()) version.Action = new VersionAction(stdout);
        root.Options.Add(MklPathOption.Create());
        root.Subcommands.Add(InfoCommand.Create(stdout));
        root.Subcommands.Add(RunCommand.Create(stdout));
        root.Subcommands.Add(StatusCommand.Create(stdout));
        root.Subcommands.Add(PlanCommand.Create(stdout));
        root.Subcommands.Add(CancelCommand.Create(stdout));
        root.Subcommands.Add(CleanCommand.Create(stdout));
        root.Subcommands.Add(CompareCommand.Create(stdout));
        root.Subcommands.Add(ShowCommand.Create(stdout));
        root.Subcommands.Add(ExportCommand.Create(stdout));
        root.Subcommands.Add(BenchCommand.Create(stdout, stderr, BenchCatalog.All()));
        root.Subcommands.Add(TinyCheckpointCommand.Create(stdout));
        root.Subcommands.Add(InitCommand.Create(stdout));
        return root;
    }

    /// <summary>
    /// Runs the CLI; returns 0 on success, 1 when the job failed, 2 for bad usage or bad input, 130 when
    /// <paramref name="interrupt"/> (SIGINT/SIGTERM, see <see cref="InterruptSignals"/>) stopped the job.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken interrupt = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var message = parsed.UnmatchedTokens.Count > 0
                ? $"unknown command or argument '{parsed.UnmatchedTokens[0]}'"
                : parsed.Errors[0].Message;
            stderr.WriteLine($"lorapar: {message} (see '{CommandHint.Lorapar} --help')");
            return ExitCodes.BadInput;
        }
        try
        {
            MklPathOption.Apply(parsed);
            // The signals are ours (InterruptSignals): System.CommandLine's own handler would end the process before the
            // verb's cleanup, since the verbs do their work synchronously inside the action.
            var configuration = new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            };
            return parsed.InvokeAsync(configuration, interrupt).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            stderr.WriteLine("lorapar: interrupted; nothing was kept — run it again");
            return ExitCodes.Interrupted;
        }
        catch (LoraParException e)
        {
            PrintFailure(e, stderr);
            return (int)e.Kind;
        }
    }

    /// <summary>
    /// Prints a failure without a stack trace: each line of its message on its own stderr line after <c>lorapar: </c> (a
    /// manifest's errors are one line each, <c>lorapar: file:line:col key: message</c>).
    /// </summary>
    public static void PrintFailure(LoraParException failure, TextWriter stderr)
    {
        foreach (var line in failure.Message.ReplaceLineEndings("\n").Split('\n')) stderr.WriteLine($"lorapar: {line}");
    }
}
