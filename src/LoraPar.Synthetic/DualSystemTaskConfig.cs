using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>An inclusive integer range [<see cref="Min"/>, <see cref="Max"/>].</summary>
public readonly record struct IntRange(int Min, int Max)
{
    /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
    public bool Contains(int value) => value >= Min && value <= Max;

    /// <inheritdoc/>
    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>How many items of one system go to each split.</summary>
public readonly record struct SplitSizes(int Train, int Eval)
{
    /// <summary>Train plus eval.</summary>
    public int Total => Train + Eval;
}

/// <summary>
/// Number ranges of the operations. Every intermediate and final result stays in [0, <see cref="MaxValue"/>].
/// </summary>
public sealed record OperationRanges
{
    /// <summary>Amounts added or taken away in System-2 steps ("buys 3 more", "Ben has 4 fewer").</summary>
    public IntRange Addend { get; init; } = new(1, 9);

    /// <summary>Multipliers ("doubles", "3 times as many", "4 bags of 5") in both systems.</summary>
    public IntRange Factor { get; init; } = new(2, 4);

    /// <summary>Operands of System-1 arithmetic facts, lookup counts and System-2 starting amounts.</summary>
    public IntRange Count { get; init; } = new(2, 20);

    /// <summary>The two numbers of a System-1 comparison (drawn distinct).</summary>
    public IntRange Compared { get; init; } = new(10, 99);

    /// <summary>The largest value any answer or intermediate result may take.</summary>
    public int MaxValue { get; init; } = 99;
}

/// <summary>
/// Configuration of <see cref="DualSystemTaskGenerator"/>: the seed, how many items of each system go to train and eval,
/// the number ranges, and the length limits a character-level tiny model can learn.
/// </summary>
public sealed record DualSystemTaskConfig
{
    /// <summary>The seed; the same configuration always yields byte-identical files.</summary>
    public long Seed { get; init; } = 20_260_101;

    /// <summary>System-1 (direct answer) items per split.</summary>
    public SplitSizes System1 { get; init; } = new(400, 100);

    /// <summary>System-2 (multi-step) items per split.</summary>
    public SplitSizes System2 { get; init; } = new(400, 100);

    /// <summary>Number ranges of the operations.</summary>
    public OperationRanges Ranges { get; init; } = new();

    /// <summary>Number of calculator steps of a System-2 solution (2–4 by default).</summary>
    public IntRange System2Steps { get; init; } = new(2, 4);

    /// <summary>Questions longer than this are redrawn.</summary>
    public int MaxQuestionChars { get; init; } = 120;

    /// <summary>Answers (solution lines and <c>#### N</c>) longer than this are redrawn.</summary>
    public int MaxSolutionChars { get; init; } = 160;

    /// <summary>Sizes of <paramref name="system"/>.</summary>
    public SplitSizes SizesOf(ReasoningSystem system) => system == ReasoningSystem.System1 ? System1 : System2;

    /// <summary>Every problem with this configuration, one line each (empty when it is valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message) { if (!ok) problems.Add(message); }
        var r = Ranges;
        Require(System1.Train >= 0 && System1.Eval >= 0, $"system1 sizes must be non-negative, got train {System1.Train}, eval {System1.Eval}");
        Require(System2.Train >= 0 && System2.Eval >= 0, $"system2 sizes must be non-negative, got train {System2.Train}, eval {System2.Eval}");
        Require(r.Addend.Min >= 1 && r.Addend.Max >= r.Addend.Min, $"ranges.addend must satisfy 1 <= min <= max, got {r.Addend}");
        Require(r.Factor.Min >= 2 && r.Factor.Max >= r.Factor.Min, $"ranges.factor must satisfy 2 <= min <= max, got {r.Factor}");
        Require(r.Count.Min >= 1 && r.Count.Max >= r.Count.Min + 1, $"ranges.count must satisfy 1 <= min < max, got {r.Count}");
        Require(r.Compared.Min >= 0 && r.Compared.Max >= r.Compared.Min + 1, $"ranges.compared must satisfy 0 <= min < max, got {r.Compared}");
        Require(r.MaxValue >= r.Count.Max + r.Addend.Max, $"ranges.max_value ({r.MaxValue}) must be at least count.max + addend.max ({r.Count.Max + r.Addend.Max})");
        Require(r.MaxValue >= r.Compared.Max, $"ranges.max_value ({r.MaxValue}) must be at least compared.max ({r.Compared.Max})");
        Require(System2Steps.Min >= 2 && System2Steps.Max <= 4 && System2Steps.Max >= System2Steps.Min,
            $"system2_steps must lie within [2, 4] with min <= max, got {System2Steps}");
        Require(MaxQuestionChars >= 60, $"max_question_chars must be at least 60, got {MaxQuestionChars}");
        Require(MaxSolutionChars >= 80, $"max_solution_chars must be at least 80, got {MaxSolutionChars}");
        return problems;
    }

    /// <summary>Throws <see cref="BadInputException"/> listing every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count == 0) return;
        throw new BadInputException(
            "invalid synthetic task configuration:\n  " + string.Join("\n  ", problems) +
            "\nFix these values in the manifest's synthetic task section.");
    }
}
