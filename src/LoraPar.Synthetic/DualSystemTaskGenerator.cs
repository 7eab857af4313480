using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// Generates the synthetic dual-system task deterministically from <see cref="DualSystemTaskConfig.Seed"/>.
/// <list type="bullet">
/// <item>Each system draws from its own random stream, so System-1 items do not change when System-2 sizes do.</item>
/// <item>Within a system the first <c>Eval</c> distinct questions form the eval split and the next <c>Train</c> form
/// train, so growing the train split keeps the eval split fixed.</item>
/// <item>Questions are distinct within and across splits; draws that break a range or a length limit are redrawn.</item>
/// <item>Each split is then shuffled with a third stream, so the systems are interleaved.</item>
/// </list>
/// </summary>
public static class DualSystemTaskGenerator
{
    private const int StreamSystem1 = 1;
    private const int StreamSystem2 = 2;
    private const int StreamShuffle = 3;

    /// <summary>Generates the task; throws <see cref="BadInputException"/> for an invalid or unsatisfiable configuration.</summary>
    public static DualSystemTask Generate(DualSystemTaskConfig config)
    {
        config.Validate();
        var s1 = DrawDistinct(config, ReasoningSystem.System1, DeterministicRandom.ForStream(config.Seed, StreamSystem1));
        var s2 = DrawDistinct(config, ReasoningSystem.System2, DeterministicRandom.ForStream(config.Seed, StreamSystem2));
        var shuffle = DeterministicRandom.ForStream(config.Seed, StreamShuffle);
        var eval = shuffle.Shuffle(Split(s1, config.System1, DataSplit.Eval, ReasoningSystem.System1)
            .Concat(Split(s2, config.System2, DataSplit.Eval, ReasoningSystem.System2)));
        var train = shuffle.Shuffle(Split(s1, config.System1, DataSplit.Train, ReasoningSystem.System1)
            .Concat(Split(s2, config.System2, DataSplit.Train, ReasoningSystem.System2)));
        return new DualSystemTask(config, train, eval);
    }

    /// <summary>
    /// <paramref name="size"/> further items of <paramref name="system"/> for a pretraining corpus: the problems its stream
    /// draws after the eval and train splits, so no pool question equals an eval or train question. Ids: <c>s2-pretrain-00017</c>.
    /// </summary>
    public static IReadOnlyList<DualSystemItem> PretrainPool(DualSystemTaskConfig config, ReasoningSystem system, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0) return [];
        config.Validate();
        var stream = system == ReasoningSystem.System1 ? StreamSystem1 : StreamSystem2;
        var skip = config.SizesOf(system).Total;
        var problems = DrawDistinct(config, system, DeterministicRandom.ForStream(config.Seed, stream), skip + size);
        return problems.Skip(skip)
            .Select((p, i) => new DualSystemItem($"s{(int)system}-pretrain-{i:D5}", system, p.Kind, p.Question, p.AnswerText, p.FinalAnswer))
            .ToList();
    }

    /// <summary>The first <paramref name="count"/> problems of <paramref name="system"/> that pass every check, distinct by question.</summary>
    public static IReadOnlyList<SyntheticProblem> DrawDistinct(DualSystemTaskConfig config, ReasoningSystem system, DeterministicRandom rng, int? count = null)
    {
        var wanted = count ?? config.SizesOf(system).Total;
        var maxAttempts = 1_000 + 50 * wanted;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<SyntheticProblem>(wanted);
        for (var attempt = 0; problems.Count < wanted; attempt++)
        {
            if (attempt >= maxAttempts) throw Unsatisfiable(config, system, problems.Count, wanted, attempt);
            var problem = system == ReasoningSystem.System1
                ? System1Problems.Draw(rng, config.Ranges)
                : System2Problems.Draw(rng, config.Ranges, config.System2Steps);
            if (problem is null || !FitsLimits(problem, config) || !seen.Add(problem.Question)) continue;
            problems.Add(problem);
        }
        return problems;
    }

    /// <summary>Whether the problem respects the length limits and the character set.</summary>
    public static bool FitsLimits(SyntheticProblem problem, DualSystemTaskConfig config) =>
        problem.Question.Length <= config.MaxQuestionChars
        && problem.AnswerText.Length <= config.MaxSolutionChars
        && TaskAlphabet.Covers(problem.Question)
        && TaskAlphabet.Covers(problem.AnswerText);

    /// <summary>The id of the <paramref name="index"/>-th item of a system and split: <c>s2-train-00017</c>.</summary>
    public static string IdOf(ReasoningSystem system, DataSplit split, int index) =>
        $"s{(int)system}-{(split == DataSplit.Train ? "train" : "eval")}-{index:D5}";

    private static IEnumerable<DualSystemItem> Split(IReadOnlyList<SyntheticProblem> problems, SplitSizes sizes, DataSplit split, ReasoningSystem system)
    {
        var (start, length) = split == DataSplit.Eval ? (0, sizes.Eval) : (sizes.Eval, sizes.Train);
        for (var i = 0; i < length; i++)
        {
            var p = problems[start + i];
            yield return new DualSystemItem(IdOf(system, split, i), system, p.Kind, p.Question, p.AnswerText, p.FinalAnswer);
        }
    }

    private static BadInputException Unsatisfiable(DualSystemTaskConfig config, ReasoningSystem system, int found, int wanted, int attempts) =>
        new($"synthetic task (seed {config.Seed}): found only {found} distinct System-{(int)system} questions of the {wanted} " +
            $"requested after {attempts} draws. Widen the number ranges (count {config.Ranges.Count}, addend {config.Ranges.Addend}, " +
            $"factor {config.Ranges.Factor}, compared {config.Ranges.Compared}), raise the length limits, or lower the split sizes.");
}
