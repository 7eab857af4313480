using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Method.Importance;

/// <summary>
/// Settings of <see cref="ImportanceScorer"/> (immutable), the manifest's <c>[importance]</c>. Defaults follow the authors:
/// N = 100 examples per system, batch 1, max length 512; the batch size changes only the speed (per-example gradients are
/// kept either way). LoRA dropout is always 0 while scoring, as the authors score.
/// </summary>
public sealed record ImportanceScorerOptions : ISettings
{
    /// <summary>N: examples sampled per system (all of them when a split has fewer).</summary>
    public int SamplesPerSystem { get; init; } = 100;

    /// <summary>Examples per forward/backward pass on the <see cref="Importance.GradientPath.Batched"/> path.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Maximum tokens of prompt + response; longer examples lose the end of their response.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Seed of the sample drawn from each split (the run's seed).</summary>
    [FromRun]
    public long Seed { get; init; }

    /// <summary>How per-example gradients are obtained (the result is the same either way).</summary>
    public GradientPath GradientPath { get; init; } = GradientPath.Batched;

    /// <summary>
    /// Recompute each decoder layer's activations in the backward pass instead of keeping them (<see cref="LoraPar.Model.Llama.LayerCheckpoint"/>):
    /// about one more forward of compute for activations of one layer input per layer; only on the per-example-loop path; the gradients are the same, so it is not part of any key.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>
    /// Which estimator chooses the masks (the masks stage reads it; scoring computes what every estimator needs, so changing it
    /// never re-scores). Default: the paper's second-order score.
    /// </summary>
    public ImportanceEstimator Estimator { get; init; } = ImportanceEstimator.SecondOrder;

    /// <summary>Mask robustness: bootstrap resamples of the scored examples (0: off; then no per-example gradients are kept).</summary>
    public int RobustnessResamples { get; init; }

    /// <summary>Mask robustness: further LoRA-init seeds (run seed + 1 …) scored beside the run's own (0: off).</summary>
    public int RobustnessSeeds { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(SamplesPerSystem >= 1, "samples_per_system", $"{SamplesPerSystem}: must be at least 1");
        p.Require(BatchSize >= 1, "batch_size", $"{BatchSize}: must be at least 1");
        p.Require(MaxLength >= 2, "max_length", $"{MaxLength}: must be at least 2 (a prompt token and a response token)");
        p.Require(Enum.IsDefined(GradientPath), "gradient_path", $"{(int)GradientPath} is not a known gradient path");
        p.Require(!GradientCheckpointing || GradientPath == GradientPath.PerExampleLoop, "gradient_checkpointing",
            "the batched path reads activations captured inside the layers, which recomputation does not keep; set gradient_path = \"per-example-loop\"");
        p.Require(Enum.IsDefined(Estimator), "estimator", $"{(int)Estimator} is not one of second-order, first-order, fisher, gradient, magnitude, random");
        p.Require(RobustnessResamples is 0 or (>= 20 and <= 10_000), "robustness_resamples",
            $"{RobustnessResamples}: use 0 (off) or 20 … 10000 bootstrap resamples (a 95% percentile interval needs at least 20)");
        p.Require(RobustnessSeeds is >= 0 and <= 32, "robustness_seeds", $"{RobustnessSeeds}: use 0 (off) … 32 further LoRA-init seeds");
        return p;
    }

    /// <summary>This instance, or a <see cref="BadInputException"/> naming every problem.</summary>
    public ImportanceScorerOptions Validated() => this.Validated("importance");
}
