using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Training.Checkpointing;

/// <summary>
/// The counters a checkpoint needs besides tensors, written as <c>trainer_state.json</c>. The data order is a pure function
/// of (seed, epoch) and dropout is re-seeded from (seed, step), so <see cref="Step"/> alone fixes where a resumed run
/// continues; the learning rate is a pure function of the step too (the schedule's state is the step).
/// </summary>
public sealed record TrainerState
{
    /// <summary>The format tag written into every file.</summary>
    public const string CurrentFormat = "lorapar-trainer-state/1";

    /// <summary>Format tag; files with another tag are rejected.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The stage, e.g. <c>sft</c> or <c>grpo</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>Optimizer steps completed.</summary>
    public required int Step { get; init; }

    /// <summary>Optimizer steps of the whole stage (a resume with a different total is refused).</summary>
    public required int TotalSteps { get; init; }

    /// <summary>Epoch of the next step.</summary>
    public int Epoch { get; init; }

    /// <summary>The stage's seed (a resume with another seed is refused).</summary>
    public required long Seed { get; init; }

    /// <summary>Learning rate of the last step taken (information; the schedule recomputes it).</summary>
    public double LearningRate { get; init; }

    /// <summary>fp16 loss scale (1 without loss scaling).</summary>
    public double LossScale { get; init; } = 1.0;

    /// <summary>Clean steps since the loss scale last changed.</summary>
    public int LossScaleCleanSteps { get; init; }

    /// <summary>Last figures of the stage (loss, eval loss, …), for humans and reports, and what the stage's result needs of the steps before.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Every step log emitted up to this checkpoint, so that a resumed stage reports its whole training curve.</summary>
    public IReadOnlyList<Monitoring.StepLog> Log { get; init; } = [];

    /// <summary>The loss of every step so far, for stages whose result needs them all (pretraining's final loss); empty otherwise.</summary>
    public IReadOnlyList<double> StepLosses { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The state as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads a state file; a malformed one or an unknown format is bad input naming <paramref name="path"/>.</summary>
    public static TrainerState Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: not found; a training checkpoint holds a trainer_state.json");
        try
        {
            var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                ?? throw new BadInputException($"{path}: empty trainer state");
            if (state.Format != CurrentFormat)
                throw new BadInputException($"{path}: format '{state.Format}', this lorapar reads '{CurrentFormat}'; start the stage afresh");
            return state;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: not a valid trainer state ({e.Message}); delete the checkpoint to start afresh", e);
        }
    }
}
