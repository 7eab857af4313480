using LoraPar.Core;
using LoraPar.Model.Llama;

namespace LoraPar.Training.Pretraining;

/// <summary>
/// The tiny base model of the built-in default and how it is pretrained (immutable; the manifest's pretrain section).
/// Defaults: 4 layers, d = 128, 4 query / 2 key-value heads, windows of 256 characters, 16 windows per step, 300 steps of
/// AdamW (β = 0.9/0.95, weight decay 0.1 on matrices) at lr 3e-3 with 5 % warm-up and cosine decay to 3e-4 — about two
/// to three minutes on a 2-core CPU, which leaves the model with partial skill on both systems.
/// </summary>
public sealed record PretrainOptions
{
    public int Layers { get; init; } = 4;
    public int Hidden { get; init; } = 128;
    public int Heads { get; init; } = 4;
    public int KeyValueHeads { get; init; } = 2;

    /// <summary>Positions the saved config allows (RoPE); generation may run past <see cref="SequenceLength"/>.</summary>
    public int MaxPositions { get; init; } = 1024;

    /// <summary>Standard deviation of the initial weights (HF: 0.02).</summary>
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Tokens per training window.</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>Windows per optimizer step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 300;

    public double LearningRate { get; init; } = 3e-3;
    public double MinLearningRate { get; init; } = 3e-4;
    public double WarmupRatio { get; init; } = 0.05;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Where training windows start: at documents (default; every answer in view of its question) or anywhere.</summary>
    public WindowAlignment Alignment { get; init; } = WindowAlignment.DocumentStart;

    /// <summary>Seed of the initial weights and of the window positions.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>SwiGLU width; null takes ≈ 8/3·d rounded to a multiple of 8.</summary>
    public int? IntermediateSize { get; init; }

    /// <summary>Report progress every N steps.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>The model config for a tokenizer of <paramref name="vocabSize"/> ids.</summary>
    public LlamaConfig ModelConfig(int vocabSize) =>
        TinyModelFactory.Config(vocabSize, Hidden, Layers, Heads, KeyValueHeads, MaxPositions) is var config
            ? config with { InitializerRange = InitializerRange, IntermediateSize = IntermediateSize ?? config.IntermediateSize }
            : config;

    /// <summary>Every problem, each as "key: message" (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message) { if (!ok) problems.Add(message); }
        Require(Layers >= 1, $"layers = {Layers}: must be at least 1");
        Require(Hidden >= 8 && Heads >= 1 && Hidden % Heads == 0 && Hidden / Heads % 2 == 0,
            $"hidden = {Hidden}, heads = {Heads}: hidden must split into heads of even size");
        Require(KeyValueHeads >= 1 && Heads % KeyValueHeads == 0, $"kv_heads = {KeyValueHeads}: must divide heads = {Heads}");
        Require(SequenceLength >= 2 && SequenceLength <= MaxPositions, $"sequence_length = {SequenceLength}: must lie in [2, max_positions = {MaxPositions}]");
        Require(BatchSize >= 1, $"batch_size = {BatchSize}: must be at least 1");
        Require(Steps >= 1, $"steps = {Steps}: must be at least 1");
        Require(LearningRate > 0 && MinLearningRate >= 0 && MinLearningRate <= LearningRate,
            $"learning_rate = {LearningRate}, min_learning_rate = {MinLearningRate}: need 0 <= min <= peak, peak > 0");
        Require(WarmupRatio >= 0 && WarmupRatio <= 1, $"warmup_ratio = {WarmupRatio}: must lie in [0, 1]");
        Require(WeightDecay >= 0 && WeightDecay < 1, $"weight_decay = {WeightDecay}: must lie in [0, 1)");
        Require(Beta1 >= 0 && Beta1 < 1 && Beta2 >= 0 && Beta2 < 1, $"betas ({Beta1}, {Beta2}): each must lie in [0, 1)");
        Require(MaxGradNorm >= 0, $"max_grad_norm = {MaxGradNorm}: must be 0 (off) or positive");
        Require(InitializerRange > 0, $"initializer_range = {InitializerRange}: must be positive");
        Require(LogEvery >= 1, $"log_every = {LogEvery}: must be at least 1");
        return problems;
    }

    /// <summary>Throws a <see cref="BadInputException"/> listing every problem, if any.</summary>
    public PretrainOptions Validated()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new BadInputException("invalid pretrain settings:\n  " + string.Join("\n  ", problems));
    }
}
