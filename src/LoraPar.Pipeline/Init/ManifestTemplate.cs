using System.Text;
using System.Text.Json.Nodes;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Init;

/// <summary>
/// The manifest <c>lorapar init</c> writes: what was found about the model and the data as comments, the detected model
/// and data settings, and the method's sections at their defaults (printed from the settings records, so they cannot drift),
/// each introduced by a comment; with a held-out file, its <c>[eval.own]</c> and a reward of its metric (<see cref="EvalTemplate"/>).
/// Paths are written relative to the manifest's folder.
/// </summary>
public static class ManifestTemplate
{
    /// <summary>The method's sections, printed whole at their defaults, and what each one decides.</summary>
    private static readonly (string Section, string Comment)[] MethodSections =
    [
        ("lora", "LoRA adapters. targets: qkv | gud | qkvgud (the paper's) | o | all-linear, module names or suffixes, or a regex."),
        ("importance", "Importance scoring (paper §3.3): per-element |g·φ − ½F·φ²| over samples_per_system examples of each system."),
        ("partition", "Partition (Algorithm 1): theta keeps each system's top share of importance; alpha / beta: shared elements per stage."),
        ("sft", "Stage 1: supervised fine-tuning on D1 (System-1 examples) under the stage-1 mask."),
        ("rl", "Stage 2: GRPO on D2 (System-2 examples) under the stage-2 mask; [rl.rewards] weights each reward."),
    ];

    /// <summary>
    /// The manifest text for <paramref name="model"/>, <paramref name="data"/> and <paramref name="heldOut"/> (the last two may
    /// be absent), written to <paramref name="manifestPath"/>.
    /// </summary>
    public static string Render(string manifestPath, ModelInspection model, DataInspection? data, HeldOutInspection? heldOut = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var defaults = ManifestJson.ToJson(new PipelineManifest());
        var text = new StringBuilder();
        text.Append("# Written by `lorapar init`. Check it with `lorapar run --dry-run ").Append(manifestPath).Append("`; every key\n")
            .Append("# and its range is in docs/manifest-reference.md. Settings not written here take their defaults.\n#\n")
            .Append("# model: ").Append(model.Description).Append('\n');
        if (data is not null) Describe(text, data, "data", "[data.columns]");
        if (heldOut is not null) Describe(text, heldOut.File, "eval", "[eval.own.columns]");
        text.Append('\n').Append("name = ").Append(Quote(Path.GetFileNameWithoutExtension(manifestPath))).Append('\n')
            .Append("# lora-par: SFT on D1 with the stage-1 mask, then GRPO on D2 with the stage-2 mask (also: sft, sft-then-rl, rl-then-sft, lora-par-sft)\n")
            .Append("method = \"lora-par\"\nseed = 0\n\n");
        ModelSection(text, model, folder);
        if (data is not null) DataSection(text, data, model, folder);
        text.Append("# The sample splitter: heuristic = the built-in teacher panel (no API); role-play-vote asks [[splitter.teachers]].\n")
            .Append("[splitter]\nmethod = \"heuristic\"\n\n");
        foreach (var (section, comment) in MethodSections)
            text.Append("# ").Append(comment).Append('\n').Append('[').Append(section).Append("]\n")
                .Append(ManifestJson.TableToToml((JsonObject)defaults[section]!, section)).Append('\n');
        if (heldOut is not null)
        {
            EvalTemplate.Rewards(text, heldOut);
            EvalTemplate.Eval(text, heldOut, folder);
        }
        return text.ToString();
    }

    private static void Describe(StringBuilder text, DataInspection data, string what, string columns)
    {
        text.Append("# ").Append(what).Append(":  ").Append(data.Path).Append(" (").Append(data.Format.ToString().ToLowerInvariant()).Append(", ")
            .Append(data.Rows).Append(" rows; columns ").Append(string.Join(", ", data.Columns)).Append(")\n")
            .Append("# layout: ").Append(KebabCase.Name(data.Dataset)).Append("; first row:\n");
        foreach (var (column, value) in data.Sample)
            text.Append("#   ").Append(column).Append(" = ").Append(Quote(value)).Append('\n');
        if (data.Missing.Count > 0)
            text.Append("# No column was found for ").Append(string.Join(", ", data.Missing)).Append(": name it in ").Append(columns).Append(" before running.\n");
    }

    private static void ModelSection(StringBuilder text, ModelInspection model, string folder)
    {
        text.Append("# The base model.\n[model]\n");
        if (model.Path is { } path)
            text.Append("source = \"checkpoint\"\npath = ").Append(Quote(Relative(folder, path))).Append('\n');
        else if (model.HubId is { } hub)
            text.Append("source = \"checkpoint\"\npath = \"${LORAPAR_MODEL}\"   # the downloaded ").Append(hub).Append(" folder\nhub_id = ").Append(Quote(hub)).Append('\n');
        else
            text.Append("source = \"pretrain\"   # the built-in tiny model; [model.tiny] shapes it\n");
        text.Append('\n');
    }

    private static void DataSection(StringBuilder text, DataInspection data, ModelInspection model, string folder)
    {
        text.Append("# One's own data: question-answer | prompt-completion | messages, columns named in [data.columns].\n[data]\n")
            .Append("dataset = ").Append(Quote(KebabCase.Name(data.Dataset))).Append('\n')
            .Append("train = ").Append(Quote(Relative(folder, data.Path))).Append('\n')
            .Append("# eval = \"held-out.jsonl\"   # a held-out file in the same layout; answers ending in '#### N' are graded by N\n")
            .Append("max_train_examples = 0   # 0 = all rows\n");
        if (data.Dataset != Manifest.Sections.DatasetKind.PromptCompletion)
        {
            var detected = model.ChatTemplate is { } t ? KebabCase.Name(t) : "none";
            text.Append("chat_template = ").Append(Quote(model.ChatTemplate is null ? "none" : "auto"))
                .Append("   # auto follows the model (here: ").Append(detected).Append("); or none, llama2, chatml\n");
        }
        if (data.Mapping.Count > 0)
        {
            text.Append("\n[data.columns]\n");
            foreach (var (field, column) in data.Mapping) text.Append(field).Append(" = ").Append(Quote(column)).Append('\n');
        }
        text.Append('\n');
    }

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, with '/' separators.</summary>
    internal static string Relative(string folder, string path) => Path.GetRelativePath(folder, Path.GetFullPath(path)).Replace('\\', '/');

    /// <summary><paramref name="text"/> as a TOML string.</summary>
    internal static string Quote(string text) => TomlString.Quote(text);
}
