using System.Globalization;
using System.Text;
using LoraPar.Adapters;
using LoraPar.Adapters.Export;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Export;

/// <summary>What an exported folder holds, for its model card.</summary>
public enum ExportedKind
{
    /// <summary>The whole trained adapter.</summary>
    Adapter,

    /// <summary>One region's adapter.</summary>
    Region,

    /// <summary>The merged checkpoint.</summary>
    Merged,
}

/// <summary>
/// The <c>README.md</c> model card of an exported folder: YAML front matter as the Hugging Face Hub reads it (base_model,
/// library_name, tags), then what the folder is, how it was trained (recipe, θ/α/β, LoRA settings, seed) and how to load it.
/// </summary>
public static class ModelCard
{
    /// <summary>The model card of one exported folder of <paramref name="run"/>.</summary>
    public static string Render(TrainedRun run, string baseModel, ExportedKind kind, LoraConfig adapterConfig, AdapterRegion? region = null)
    {
        var m = run.Manifest;
        var text = new StringBuilder("---\n");
        text.Append("base_model: ").Append(baseModel).Append('\n');
        text.Append(kind == ExportedKind.Merged ? "library_name: transformers\n" : "library_name: peft\n");
        text.Append("tags:\n- lora\n- lora-par\n");
        text.Append("---\n\n");
        text.Append("# ").Append(m.Name).Append(run.Variant.Point.Count > 0 ? $" ({run.Variant.Name})" : "").Append(": ").Append(What(kind, region)).Append("\n\n");
        text.Append(Invariant($"Trained by lorapar with recipe `{KebabCase.Name(m.Method)}` (LoRA-PAR: stage 1 SFT on System-1 data, stage 2 GRPO on "))
            .Append(Invariant($"System-2 data, each on its own subregion of the LoRA elements), θ = {m.Partition.Theta}, α = {m.Partition.Alpha}, "))
            .Append(Invariant($"β = {m.Partition.Beta}, selection `{KebabCase.Name(m.Partition.Selection)}`, seed {m.Seed}.\n\n"));
        text.Append(Invariant($"LoRA on `{m.Lora.Targets.SettingText}`, trained with r = {m.Lora.R}, lora_alpha = {m.Lora.Alpha}, init `{m.Lora.Init.Name()}`"))
            .Append(m.Lora.UseRslora ? ", rsLoRA" : "").Append(".\n");
        if (kind != ExportedKind.Merged && adapterConfig.R != m.Lora.R)
            text.Append(Invariant($"\nThis adapter applies to the original base model: the {m.Lora.Init.Name()} adapter was converted as PEFT's "))
                .Append(Invariant($"`path_initial_model_for_weight_conversion` does (ΔW = B·A − B₀·A₀ as one adapter of rank {adapterConfig.R}, "))
                .Append(Invariant($"lora_alpha {adapterConfig.Alpha:0.######}), so any runtime that loads plain LoRA builds the trained model.\n"));
        text.Append('\n').Append(Usage(kind, baseModel));
        return text.ToString();
    }

    private static string What(ExportedKind kind, AdapterRegion? region) => kind switch
    {
        ExportedKind.Merged => "merged checkpoint",
        ExportedKind.Region => region switch
        {
            AdapterRegion.System1Only => "System-1 region alone (elements only stage 1 trained; the others at their initial values)",
            AdapterRegion.System2Only => "System-2 region alone (elements only stage 2 trained; the others at their initial values)",
            _ => "shared region alone (elements both stages trained; the others at their initial values)",
        },
        _ => "LoRA adapter",
    };

    private static string Usage(ExportedKind kind, string baseModel) => kind == ExportedKind.Merged
        ? "```python\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n"
          + "model = AutoModelForCausalLM.from_pretrained(\"<this folder>\")\ntokenizer = AutoTokenizer.from_pretrained(\"<this folder>\")\n```\n"
        : "```python\nfrom transformers import AutoModelForCausalLM\nfrom peft import PeftModel\n"
          + $"base = AutoModelForCausalLM.from_pretrained(\"{baseModel}\")\nmodel = PeftModel.from_pretrained(base, \"<this folder>\")\n```\n";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
