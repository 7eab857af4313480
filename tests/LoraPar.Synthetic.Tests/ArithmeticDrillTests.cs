using LoraPar.Core;
using System.Text.RegularExpressions;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

public sealed class ArithmeticDrillTests
{
    private static readonly OperationRanges Small = new()
    {
        Addend = new(1, 2), Factor = new(2, 2), Count = new(2, 3), Compared = new(3, 5), MaxValue = 5,
    };

    [Fact]
    public void Facts_enumerate_every_in_range_fact_once()
    {
        var facts = ArithmeticDrill.Facts(Small);
        // small operand 1..3 (max of addend and count): additions a+b ≤ 5 for a in 0..5 → 3+3+3+2+1+0 = 12;
        // subtractions a−b ≥ 0 → 0+1+2+3+3+3 = 12; multiplications a·2 ≤ 5 for a in 0..2, both orders, 2·2 once → 5.
        Assert.Equal(12, facts.Count(f => f.Op == Operation.Add));
        Assert.Equal(12, facts.Count(f => f.Op == Operation.Subtract));
        Assert.Equal(5, facts.Count(f => f.Op == Operation.Multiply));
        Assert.Equal(facts.Count, facts.Distinct().Count());
        Assert.All(facts, f => Assert.InRange(f.Op.Apply(f.Left, f.Right), 0, Small.MaxValue));
        Assert.Contains((3, Operation.Subtract, 3), facts);
        Assert.DoesNotContain((3, Operation.Add, 3), facts);
    }

    [Fact]
    public void Documents_state_true_facts_in_both_styles_and_reach_the_requested_size()
    {
        var docs = ArithmeticDrill.Documents(new OperationRanges(), 5_000, 8, new DeterministicRandom(3));
        Assert.InRange(docs.Sum(d => d.Length), 5_000, 5_000 + docs.Max(d => d.Length));
        var lines = docs.SelectMany(d => d.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(8 * docs.Count, lines.Count);
        foreach (var line in lines)
        {
            var m = Regex.Match(line, @"^(\d+) ?([+\-*]) ?(\d+) ?= ?(\d+)$");
            Assert.True(m.Success, line);
            var op = m.Groups[2].Value switch { "+" => Operation.Add, "-" => Operation.Subtract, _ => Operation.Multiply };
            Assert.Equal(op.Apply(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[3].Value)), int.Parse(m.Groups[4].Value));
        }
        Assert.Contains(lines, l => l.Contains(' '));
        Assert.Contains(lines, l => !l.Contains(' '));
        Assert.All(docs, d => Assert.True(TaskAlphabet.Covers(d)));
    }

    [Fact]
    public void Same_seed_gives_the_same_documents()
    {
        var first = ArithmeticDrill.Documents(new OperationRanges(), 2_000, 4, new DeterministicRandom(9));
        var second = ArithmeticDrill.Documents(new OperationRanges(), 2_000, 4, new DeterministicRandom(9));
        var other = ArithmeticDrill.Documents(new OperationRanges(), 2_000, 4, new DeterministicRandom(10));
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }
}
