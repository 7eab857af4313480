using LoraPar.Evaluation.Datasets;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>The training corpus format.</summary>
public enum DatasetKind
{
    /// <summary>GSM8K JSONL (question, answer with <c>#### N</c>).</summary>
    Gsm8k,

    /// <summary>Databricks Dolly-15K (instruction, context, response), evaluated on MMLU.</summary>
    Dolly,

    /// <summary>Open-Platypus (instruction, output), evaluated on MMLU.</summary>
    Platypus,

    /// <summary>CodeAlpaca (instruction, input, output), evaluated on HumanEval.</summary>
    CodeAlpaca,

    /// <summary>CodeFeedback (query, answer), evaluated on HumanEval.</summary>
    CodeFeedback,

    /// <summary>The built-in synthetic dual-system task, generated from the seed.</summary>
    Synthetic,

    /// <summary>One's own data: a question and an answer per row (columns in <c>[data.columns]</c>), rendered with the chat template.</summary>
    QuestionAnswer,

    /// <summary>One's own data: a finished prompt and its completion per row, used as written.</summary>
    PromptCompletion,

    /// <summary>One's own data: a chat <c>messages</c> list per row (system?, user, assistant), rendered with the chat template.</summary>
    Messages,
}

/// <summary>The row layout of each own-data <see cref="DatasetKind"/>.</summary>
public static class OwnDataKinds
{
    /// <summary>The layout of <paramref name="dataset"/>, or null for the built-in datasets.</summary>
    public static OwnDataLayout? LayoutOf(DatasetKind dataset) => dataset switch
    {
        DatasetKind.QuestionAnswer => OwnDataLayout.QuestionAnswer,
        DatasetKind.PromptCompletion => OwnDataLayout.PromptCompletion,
        DatasetKind.Messages => OwnDataLayout.Messages,
        _ => null,
    };
}

/// <summary><c>[data]</c>: the corpus split into System 1 / System 2 and the evaluation set.</summary>
public sealed record DataSection
{
    /// <summary>Format of <see cref="Train"/> (default: the built-in synthetic task, so an empty manifest runs anywhere).</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.Synthetic;

    /// <summary>Training file (JSONL / Parquet); not needed for the synthetic task.</summary>
    public ManifestPath? Train { get; init; }

    /// <summary>Evaluation file; not needed for the synthetic task.</summary>
    public ManifestPath? Eval { get; init; }

    /// <summary>Cap on training examples (0 = all).</summary>
    public int MaxTrainExamples { get; init; }

    /// <summary>Cap on evaluation examples (0 = all).</summary>
    public int MaxEvalExamples { get; init; }

    /// <summary>Synthetic training items per system.</summary>
    public int SyntheticTrainSize { get; init; } = 400;

    /// <summary>Synthetic evaluation items per system.</summary>
    public int SyntheticEvalSize { get; init; } = 100;

    /// <summary>
    /// The seed of the data and everything built from it before the adapters: the synthetic task, a file dataset's capped subsets,
    /// and for <c>model.source = "pretrain"</c> the pretraining corpus and the tiny base's initialisation. Null (the default): the
    /// top-level seed. Set it to share one dataset and one pretrained base across a <c>[sweep] seed</c>, so the swept seed varies only
    /// what comes after (labels' tie-breaks, the LoRA init, importance sampling, masks, SFT and GRPO sampling, evaluation sampling).
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>Number ranges of the synthetic task (<c>[data.synthetic_ranges]</c>).</summary>
    public SyntheticRanges SyntheticRanges { get; init; } = new();

    /// <summary>Column names of one's own data (own-data datasets only; null otherwise).</summary>
    public DataColumns? Columns { get; init; }

    /// <summary>
    /// How questions and messages of one's own data are rendered: <c>auto</c> (the checkpoint's chat template, none for the
    /// built-in model), <c>none</c> (<c>Question: …\nAnswer:</c>), <c>llama2</c> or <c>chatml</c> — the names
    /// <c>rl.prompt.chat_template</c> takes. Null for other datasets.
    /// </summary>
    public LoraPar.Model.Tokenizers.ChatTemplate? ChatTemplate { get; init; }

    private static readonly (string Key, Func<DataSection, int> Value)[] SyntheticOnly =
        [("synthetic_train_size", s => s.SyntheticTrainSize), ("synthetic_eval_size", s => s.SyntheticEvalSize)];

    private static readonly (string Key, Func<DataSection, int> Value)[] FileOnly =
        [("max_train_examples", s => s.MaxTrainExamples), ("max_eval_examples", s => s.MaxEvalExamples)];

    internal static DataSection Read(SectionReader r)
    {
        var d = new DataSection();
        var dataset = r.Enum("dataset", d.Dataset);
        var needsFiles = dataset != DatasetKind.Synthetic;
        var section = new DataSection
        {
            Dataset = dataset,
            Seed = r.Has("seed") ? r.Long("seed", 0, NumberRange.NonNegative) : null,
            Train = r.Path("train", PathKind.File, mustExist: true),
            Eval = r.Path("eval", PathKind.File, mustExist: true),
            MaxTrainExamples = r.Int("max_train_examples", d.MaxTrainExamples, NumberRange.NonNegative),
            MaxEvalExamples = r.Int("max_eval_examples", d.MaxEvalExamples, NumberRange.NonNegative),
            SyntheticTrainSize = r.Int("synthetic_train_size", d.SyntheticTrainSize, NumberRange.AtLeast(1)),
            SyntheticEvalSize = r.Int("synthetic_eval_size", d.SyntheticEvalSize, NumberRange.AtLeast(1)),
            SyntheticRanges = SyntheticRanges.Read(r.Section("synthetic_ranges")),
        };
        var layout = OwnDataKinds.LayoutOf(dataset);
        section = section with
        {
            Columns = layout is null && !r.Has("columns") ? null : DataColumns.Read(r.Section("columns"), layout, KebabCase.Name(dataset)),
            ChatTemplate = ReadTemplate(r, layout),
        };
        if (needsFiles && r.Has("synthetic_ranges"))
            r.Error("synthetic_ranges", $"synthetic_ranges shapes the synthetic task; dataset = \"{KebabCase.Name(dataset)}\" reads its numbers from the files");
        if (needsFiles && section.Train is null) r.Error("dataset", $"dataset = \"{KebabCase.Name(dataset)}\" needs data.train (a file)");
        var unused = needsFiles
            ? SyntheticOnly.Where(k => k.Value(section) != k.Value(d))
            : FileOnly.Where(k => k.Value(section) != k.Value(d));
        foreach (var (key, _) in unused)
            r.Error(key, needsFiles
                ? $"{key} sizes the synthetic task; dataset = \"{KebabCase.Name(dataset)}\" is capped with max_train_examples / max_eval_examples"
                : $"{key} caps a file dataset; the synthetic task is sized with synthetic_train_size / synthetic_eval_size");
        r.Finish();
        return section;
    }

    private static LoraPar.Model.Tokenizers.ChatTemplate? ReadTemplate(SectionReader r, OwnDataLayout? layout)
    {
        var rendered = layout is OwnDataLayout.QuestionAnswer or OwnDataLayout.Messages;
        if (!rendered)
        {
            if (r.Has("chat_template")) r.Error("chat_template", "chat_template renders one's own questions; use dataset = \"question-answer\" or \"messages\"");
            return null;
        }
        return r.Enum("chat_template", LoraPar.Model.Tokenizers.ChatTemplate.Auto);
    }
}
