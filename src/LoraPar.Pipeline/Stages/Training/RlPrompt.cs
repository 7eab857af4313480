using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Synthetic;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// Stage 2's prompt for a question, per kind of data: the synthetic task's own reasoning-tags prompt
/// (<see cref="TaskPrompt"/>), or on file data <c>[rl.prompt]</c>'s system prompt under the model's chat template (a plain
/// preamble when the model has none). The eval stage asks the points stage 2 produced in this same format.
/// </summary>
public static class RlPrompt
{
    /// <summary>Question → prompt text for <paramref name="manifest"/>, the chat template resolved against <paramref name="modelFolder"/>.</summary>
    public static Func<string, string> For(PipelineManifest manifest, string? modelFolder)
    {
        if (manifest.Data.Dataset == DatasetKind.Synthetic) return question => TaskPrompt.Prompt(question, PromptStyle.ReasoningTags);
        var format = manifest.Rl.Prompt;
        var template = format.ChatTemplate.Resolve(modelFolder);
        return question => format.Build(question, template);
    }

    /// <summary>The folder whose <c>tokenizer_config.json</c> an auto chat template reads: the checkpoint's (the built-in tiny model has none).</summary>
    public static string? TemplateFolder(PipelineManifest manifest) =>
        manifest.Model.Source == ModelSource.Checkpoint ? manifest.Model.Path?.Resolved : null;
}
