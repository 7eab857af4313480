using LoraPar.Pipeline;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Cli.Commands;

/// <summary>Builds the <see cref="PipelineService"/> the pipeline verbs call: this build's stages, the console, the current folder.</summary>
internal static class PipelineCommandContext
{
    public static PipelineService Service(TextWriter stdout) =>
        new(PipelineStages.CreateDefault(LocalTeacherScorers.Load),
            new PipelineConsole(stdout, Interactive: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected),
            Environment.CurrentDirectory);
}
