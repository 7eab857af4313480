using LoraPar.Evaluation.Datasets;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Data;

/// <summary>
/// One's own data (<c>dataset = "question-answer" | "prompt-completion" | "messages"</c>) as data-stage rows: each file read
/// through <c>[data.columns]</c>, questions rendered with the chat template, a row's <c>label</c> kept as its ground-truth System.
/// </summary>
public static class OwnData
{
    /// <summary>The input name of the checkpoint's tokenizer_config.json when <c>chat_template = "auto"</c> reads it.</summary>
    public const string TokenizerConfigInput = "tokenizer_config";

    /// <summary>The checkpoint file that decides an automatic chat template, or null when none is read.</summary>
    public static string? TemplateSource(PipelineManifest manifest) =>
        manifest.Data.ChatTemplate == ChatTemplate.Auto && manifest.Model is { Source: ModelSource.Checkpoint, Path: { } path }
            ? Path.Combine(path.Resolved, TokenizerLoader.TokenizerConfigFile)
            : null;

    /// <summary>
    /// The template a manifest renders its own data with: the one named, or for <c>auto</c> the checkpoint's
    /// (<paramref name="tokenizerConfig"/>, see <see cref="TemplateSource"/>), none for the built-in model and for prompt-completion data.
    /// </summary>
    public static ChatTemplate TemplateOf(DataSection data, string? tokenizerConfig) => data.ChatTemplate switch
    {
        null => ChatTemplate.None,
        ChatTemplate.Auto => tokenizerConfig is null ? ChatTemplate.None : ChatTemplates.OfTokenizerConfig(tokenizerConfig),
        { } named => named,
    };

    /// <summary>Every row of one own-data file; a malformed row is a <see cref="LoraPar.Core.BadInputException"/> naming file and row.</summary>
    public static IReadOnlyList<DatasetRow> Load(string path, DataSection data, ChatTemplate template)
    {
        var layout = OwnDataKinds.LayoutOf(data.Dataset) ?? throw new ArgumentException($"{data.Dataset} is not one's own data", nameof(data));
        var mapping = (data.Columns ?? new DataColumns()).Mapping();
        return DatasetLoader.LoadOwnData(path, layout, mapping).Select(r => Row(r, template)).ToList();
    }

    private static DatasetRow Row(OwnDataRecord record, ChatTemplate template)
    {
        var example = record.ToExample(template);
        var metadata = example.Metadata.Where(kv => kv.Key != "question").ToDictionary(kv => kv.Key, kv => kv.Value);
        return new DatasetRow(record.Id, record.Question, record.Answer, example.Prompt, example.Response, example.GoldAnswer, record.Label,
            Metadata: metadata.Count == 0 ? null : metadata);
    }
}
