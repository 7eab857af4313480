using LoraPar.Core;
using System.Text;

namespace LoraPar.Synthetic;

/// <summary>
/// Arithmetic drill documents: lines of plain facts such as <c>14+9=23</c> or <c>19 * 3 = 57</c>, drawn uniformly from
/// every fact the task's number ranges allow. They stand in for the arithmetic a real base LLM already knows from
/// pretraining: with them the tiny base model can compute, but it still has to learn from the task's own items how to
/// read a question, which numbers to combine and in what format to answer. Facts are general knowledge, not task items:
/// no question, solution or answer line of any split enters a drill.
/// </summary>
public static class ArithmeticDrill
{
    /// <summary>Every fact (left, operation, right) whose operands and result lie in the task's ranges.</summary>
    public static IReadOnlyList<(int Left, Operation Op, int Right)> Facts(OperationRanges ranges)
    {
        var facts = new List<(int, Operation, int)>();
        var small = Math.Max(ranges.Addend.Max, ranges.Count.Max);
        for (var left = 0; left <= ranges.MaxValue; left++)
        {
            for (var right = 1; right <= small; right++)
            {
                if (left + right <= ranges.MaxValue) facts.Add((left, Operation.Add, right));
                if (left - right >= 0) facts.Add((left, Operation.Subtract, right));
            }
            for (var factor = ranges.Factor.Min; factor <= ranges.Factor.Max; factor++)
            {
                if (left * factor > ranges.MaxValue) continue;
                facts.Add((left, Operation.Multiply, factor));
                facts.Add((factor, Operation.Multiply, left));
            }
        }
        return facts.Distinct().ToList();   // a·b and b·a coincide when both lie in the factor range
    }

    /// <summary>
    /// Drill documents of <paramref name="factsPerDocument"/> lines each, together at least <paramref name="characters"/>
    /// characters long; each line is a uniformly drawn fact, written without spaces (the calculator style of System-2
    /// solutions) or with them (the style of System-1 questions) at random.
    /// </summary>
    public static IReadOnlyList<string> Documents(OperationRanges ranges, long characters, int factsPerDocument, DeterministicRandom rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factsPerDocument, 1);
        var facts = Facts(ranges);
        var documents = new List<string>();
        long written = 0;
        while (written < characters)
        {
            var text = new StringBuilder();
            for (var i = 0; i < factsPerDocument; i++)
            {
                var (left, op, right) = rng.Pick(facts);
                var space = rng.Index(2) == 0 ? "" : " ";
                text.Append(left).Append(space).Append(op.Symbol()).Append(space).Append(right)
                    .Append(space).Append('=').Append(space).Append(op.Apply(left, right)).Append('\n');
            }
            documents.Add(text.ToString());
            written += text.Length;
        }
        return documents;
    }
}
