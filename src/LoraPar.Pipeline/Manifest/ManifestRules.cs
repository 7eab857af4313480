using LoraPar.Core;
using LoraPar.Evaluation.HumanEval;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// Rules that span sections, checked at load so that <c>run --dry-run</c> rejects what a stage would reject hours later:
/// a recipe whose GRPO stage has no weighted reward on the data, a CUDA device on a CPU build (like a missing path: an error when running, a warning for a dry run), and sizes beyond the machine's memory
/// (<see cref="MemoryEstimate"/>), and a checkpoint whose tokenizer has more tokens than its
/// embedding. Each problem is placed at the key that decides it.
/// </summary>
public static class ManifestRules
{
    /// <summary>Records every cross-section problem of <paramref name="m"/> through <paramref name="root"/>.</summary>
    public static void Check(PipelineManifest m, SectionReader root, Func<long> machineMemory)
    {
        CheckRecipeData(m, root);
        CheckDevice(m, root);
        CheckMemory(m, root, machineMemory());
        CheckCheckpoint(m, root, machineMemory);
        CheckSandbox(m, root);
        GradientCheckpointingRule.Check(m, root);
        CheckChatTemplate(m, root);
        OwnDataRules.Check(m, root);
    }

    /// <summary>
    /// <c>[rl.prompt]</c> applies to file data, where the chat template must be one lorapar renders (auto reads the checkpoint's,
    /// <see cref="RlPrompt"/>); the synthetic task keeps its own prompt, so setting it there is refused.
    /// </summary>
    private static void CheckChatTemplate(PipelineManifest m, SectionReader root)
    {
        if (m.Data.Dataset == DatasetKind.Synthetic && m.Rl.Prompt != new Training.Grpo.PromptFormat())
            root.Section("rl").Error("prompt", "the synthetic task asks in its own prompt (\"Question: q\\nShow your reasoning.\\n\"); [rl.prompt] applies to file data only");
        if (!RunsRl(m.Method) || m.Data.Dataset == DatasetKind.Synthetic) return;
        try
        {
            m.Rl.Prompt.ChatTemplate.Resolve(RlPrompt.TemplateFolder(m));
        }
        catch (BadInputException e)
        {
            root.Section("rl").Section("prompt").Error("chat_template", e.Message);
        }
    }

    /// <summary>HumanEval needs its sandbox's tools here (like a missing path: an error when running, a warning for a dry run).</summary>
    private static void CheckSandbox(PipelineManifest m, SectionReader root)
    {
        if (!m.Eval.Benchmarks.Contains(Benchmark.Humaneval)) return;
        if (SandboxRequirements.Missing(SandboxOptions.Default with { Isolation = m.Eval.Humaneval.Isolation }) is { } missing)
            root.Section("eval").Section("humaneval").EnvironmentProblem("isolation", missing);
    }

    /// <summary>Whether the recipe runs a GRPO stage.</summary>
    public static bool RunsRl(TrainingMethod method) => method is not (TrainingMethod.Sft or TrainingMethod.LoraParSft);

    /// <summary>A recipe with a GRPO stage needs a reward with a non-zero weight on its data (<see cref="RlReward"/>).</summary>
    private static void CheckRecipeData(PipelineManifest m, SectionReader root)
    {
        if (!RunsRl(m.Method) || m.Rl.OwnRewards is not null || RlReward.Problem(m.Data.Dataset, m.Rl.Rewards) is not { } problem) return;
        root.Section("rl").Section("rewards").Error("correctness", $"data.dataset = \"{KebabCase.Name(m.Data.Dataset)}\": {problem}");
    }

    private static void CheckDevice(PipelineManifest m, SectionReader root)
    {
        if (m.Device == DeviceChoice.Cuda && !TorchBuild.Cuda)
            root.EnvironmentProblem("device", "device = \"cuda\", but this lorapar is the CPU build; rebuild with -p:TorchBackend=cuda on a GPU host, "
                + "or use device = \"auto\" or \"cpu\"");
    }

    /// <summary>A checkpoint folder that is here: its config.json and tokenizer must read, and the tokenizer must fit the model.</summary>
    private static void CheckCheckpoint(PipelineManifest m, SectionReader root, Func<long> machineMemory)
    {
        if (m.Model.Source != ModelSource.Checkpoint || m.Model.Path is not { } path) return;
        var folder = path.Resolved;
        if (!File.Exists(Path.Combine(folder, HfCheckpoint.ConfigFile))) return;
        try
        {
            var config = LlamaConfig.Load(Path.Combine(folder, HfCheckpoint.ConfigFile));
            if (VocabularyFit.Problem(config, TokenizerLoader.Load(folder), folder) is { } problem) root.Section("model").Error("path", problem);
            CheckCheckpointWeights(m, root, config, machineMemory());
        }
        catch (BadInputException e)
        {
            root.Section("model").Error("path", e.Message);
        }
    }

    /// <summary>On the CPU, a checkpoint's weights alone (at the manifest's dtype, fp32 for auto) must fit this machine's memory.</summary>
    private static void CheckCheckpointWeights(PipelineManifest m, SectionReader root, LlamaConfig config, long machine)
    {
        if (m.Device == DeviceChoice.Cuda || TorchBuild.Cuda) return;
        var bytes = (double)config.ParameterCount() * (m.Model.Dtype is WeightType.Bfloat16 or WeightType.Float16 ? 2 : 4);
        if (bytes > machine)
            root.Section("model").Error("path", $"the checkpoint's weights alone need {MemoryEstimate.Format(bytes)} on the CPU, more than "
                + $"this machine's {MemoryEstimate.Format(machine)}; use a GPU host (device = \"cuda\") or a smaller model");
    }

    private static void CheckMemory(PipelineManifest m, SectionReader root, long machine)
    {
        if (m.Model.Source != ModelSource.Pretrain || m.Device == DeviceChoice.Cuda || TorchBuild.Cuda) return;
        var estimate = MemoryEstimate.Of(m);
        if (estimate.Total <= machine) return;
        var (section, key) = Culprit(m);
        var reader = root;
        foreach (var part in section.Split('.')) reader = reader.Section(part);
        reader.Error(key, $"the model, adapter and batches need about "
            + $"{MemoryEstimate.Format(estimate.Total)} of memory ({estimate.Describe()}), more than this machine's "
            + $"{MemoryEstimate.Format(machine)}; lower this size");
    }

    /// <summary>The size setting whose reset to its default lowers the estimate most: where the error is placed.</summary>
    private static (string Section, string Key) Culprit(PipelineManifest m)
    {
        var d = new PipelineManifest();
        var t = m.Model.Tiny;
        (string, string, PipelineManifest)[] resets =
        [
            ("lora", "r", m with { Lora = m.Lora with { R = d.Lora.R } }),
            ("model.tiny", "layers", m with { Model = m.Model with { Tiny = t with { Layers = d.Model.Tiny.Layers } } }),
            ("model.tiny", "hidden_size", m with { Model = m.Model with { Tiny = t with { HiddenSize = d.Model.Tiny.HiddenSize } } }),
            ("model.tiny", "intermediate_size", m with { Model = m.Model with { Tiny = t with { IntermediateSize = d.Model.Tiny.IntermediateSize } } }),
            ("model.tiny", "context_length", m with { Model = m.Model with { Tiny = t with { ContextLength = d.Model.Tiny.ContextLength } } }),
            ("model.tiny", "pretrain_batch_size", m with { Model = m.Model with { Tiny = t with { PretrainBatchSize = d.Model.Tiny.PretrainBatchSize } } }),
            ("sft", "batch_size", m with { Sft = m.Sft with { Batching = m.Sft.Batching with { BatchSize = d.Sft.Batching.BatchSize } } }),
            ("sft", "max_length", m with { Sft = m.Sft with { Batching = m.Sft.Batching with { MaxLength = d.Sft.Batching.MaxLength } } }),
            ("rl", "num_generations", m with { Rl = m.Rl with { NumGenerations = d.Rl.NumGenerations } }),
            ("rl", "prompts_per_batch", m with { Rl = m.Rl with { PromptsPerBatch = d.Rl.PromptsPerBatch } }),
            ("rl", "max_completion_length", m with { Rl = m.Rl with { MaxCompletionLength = d.Rl.MaxCompletionLength } }),
        ];
        var best = resets.MinBy(r => MemoryEstimate.Of(r.Item3).Total);
        return (best.Item1, best.Item2);
    }
}
