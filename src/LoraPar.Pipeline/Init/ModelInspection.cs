using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Pipeline.Init;

/// <summary>What <c>lorapar init</c> found about the base model: a checkpoint folder, a Hub id to download, or the built-in model.</summary>
/// <param name="Path">The checkpoint folder as given (null for a Hub id or the built-in model).</param>
/// <param name="HubId">The Hugging Face Hub id (given, or null).</param>
/// <param name="Description">One line: architecture, size and vocabulary, or what to do to get the folder.</param>
/// <param name="ChatTemplate">The chat template the folder's tokenizer_config.json declares (None for a base model), or null when unknown.</param>
public sealed partial record ModelInspection(string? Path, string? HubId, string Description, ChatTemplate? ChatTemplate)
{
    /// <summary>The built-in tiny model (no <c>--model</c>).</summary>
    public static ModelInspection BuiltIn { get; } =
        new(null, null, "the built-in tiny LLaMA-architecture model, pretrained on the spot (no --model given)", Model.Tokenizers.ChatTemplate.None);

    /// <summary>Inspects <paramref name="model"/>: a folder holding config.json, or else a Hub id.</summary>
    public static ModelInspection Of(string model)
    {
        if (Directory.Exists(model)) return OfFolder(model);
        if (HubIdPattern().IsMatch(model))
            return new(null, model, $"Hub model {model}: not on this machine; download it (e.g. `huggingface-cli download {model} --local-dir <folder>`) "
                                    + "and set LORAPAR_MODEL to the folder", null);
        throw new BadInputException($"--model {model}: neither a checkpoint folder nor a Hugging Face Hub id (owner/name)");
    }

    private static ModelInspection OfFolder(string folder)
    {
        var configPath = System.IO.Path.Combine(folder, HfCheckpoint.ConfigFile);
        if (!File.Exists(configPath)) throw new BadInputException($"--model {folder}: no {HfCheckpoint.ConfigFile}; point it at a Hugging Face checkpoint folder");
        var config = LlamaConfig.Load(configPath);
        var vocabulary = TokenizerLoader.Load(folder).VocabSize;
        ChatTemplate? template;
        try
        {
            template = LoraPar.Model.Tokenizers.ChatTemplate.Auto.Resolve(folder);
        }
        catch (BadInputException)
        {
            template = null;
        }
        var templateName = template is { } t ? Manifest.KebabCase.Name(t) : "not ChatML or LLaMA-2 (rendered as none)";
        var description = $"{config.Family} checkpoint: {config.NumHiddenLayers} layers, d = {config.HiddenSize}, "
                          + $"{config.NumAttentionHeads} heads, vocabulary {vocabulary:N0} tokens, chat template {templateName}";
        return new(folder, null, description, template);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HubIdPattern();
}
