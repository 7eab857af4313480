using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// Draws System-1 problems: a single fact the model should answer directly, with the answer field just <c>#### N</c>.
/// Three families in equal proportion: an arithmetic fact, a comparison of two numbers, a lookup of a number stated
/// in the question. A draw returns null when the sampled numbers break a range; the caller draws again.
/// </summary>
public static class System1Problems
{
    /// <summary>One problem from a uniformly chosen family, or null to redraw.</summary>
    public static SyntheticProblem? Draw(DeterministicRandom rng, OperationRanges ranges) => rng.Index(3) switch
    {
        0 => ArithmeticFact(rng, ranges),
        1 => Comparison(rng, ranges),
        _ => Lookup(rng, ranges),
    };

    /// <summary>"What is 7 + 5?", "What is 15 - 7?" or "What is 3 * 12?".</summary>
    public static SyntheticProblem? ArithmeticFact(DeterministicRandom rng, OperationRanges ranges)
    {
        var op = rng.Pick(Enum.GetValues<Operation>());
        var (left, right) = op switch
        {
            Operation.Add => (rng.Next(ranges.Count.Min, ranges.Count.Max), rng.Next(ranges.Count.Min, ranges.Count.Max)),
            Operation.Subtract => SubtractionOperands(rng, ranges.Count),
            _ => MultiplicationOperands(rng, ranges),
        };
        var value = op.Apply(left, right);
        if (value < 0 || value > ranges.MaxValue) return null;
        var question = $"What is {left} {op.Symbol()} {right}?";
        return new SyntheticProblem(TaskKind.ArithmeticFact, question, [], value);
    }

    /// <summary>"Which is larger, 41 or 14?" (or smaller), answered with the number.</summary>
    public static SyntheticProblem Comparison(DeterministicRandom rng, OperationRanges ranges)
    {
        var first = rng.Next(ranges.Compared.Min, ranges.Compared.Max);
        int second;
        do second = rng.Next(ranges.Compared.Min, ranges.Compared.Max); while (second == first);
        var larger = rng.Index(2) == 0;
        var question = $"Which is {(larger ? "larger" : "smaller")}, {first} or {second}?";
        return new SyntheticProblem(TaskKind.Comparison, question, [], larger ? Math.Max(first, second) : Math.Min(first, second));
    }

    /// <summary>"Tom has 3 red and 8 blue pens. How many blue pens does Tom have?".</summary>
    public static SyntheticProblem Lookup(DeterministicRandom rng, OperationRanges ranges)
    {
        var person = rng.Pick(TaskVocabulary.People);
        var thing = rng.Pick(TaskVocabulary.Objects);
        var firstColour = rng.Pick(TaskVocabulary.Colours);
        string secondColour;
        do secondColour = rng.Pick(TaskVocabulary.Colours); while (secondColour == firstColour);
        var first = rng.Next(ranges.Count.Min, ranges.Count.Max);
        int second;
        do second = rng.Next(ranges.Count.Min, ranges.Count.Max); while (second == first);
        var askFirst = rng.Index(2) == 0;
        var asked = askFirst ? firstColour : secondColour;
        var question = $"{person.Name} has {first} {firstColour} and {second} {secondColour} {thing}. " +
                       $"How many {asked} {thing} does {person.Name} have?";
        return new SyntheticProblem(TaskKind.Lookup, question, [], askFirst ? first : second);
    }

    private static (int, int) SubtractionOperands(DeterministicRandom rng, IntRange count)
    {
        var left = rng.Next(count.Min, count.Max);
        return (left, rng.Next(Math.Min(count.Min, left), left));
    }

    private static (int, int) MultiplicationOperands(DeterministicRandom rng, OperationRanges ranges)
    {
        var factor = rng.Next(ranges.Factor.Min, ranges.Factor.Max);
        var count = rng.Next(ranges.Count.Min, ranges.Count.Max);
        return rng.Index(2) == 0 ? (factor, count) : (count, factor);
    }
}
