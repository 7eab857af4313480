using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// Draws System-2 problems: word problems whose solution takes 2–4 calculator steps (+, −, × with small numbers, every
/// intermediate result a non-negative integer no larger than <see cref="OperationRanges.MaxValue"/>). Two families in
/// equal proportion: a <see cref="TaskKind.Chain"/> (one person's amount changed step by step) and a
/// <see cref="TaskKind.Relation"/> (people whose amounts are defined relative to each other, then added up).
/// A draw returns null when the sampled numbers break a range; the caller draws again.
/// </summary>
public static class System2Problems
{
    /// <summary>One problem with a uniformly chosen number of steps in <paramref name="steps"/>, or null to redraw.</summary>
    public static SyntheticProblem? Draw(DeterministicRandom rng, OperationRanges ranges, IntRange steps)
    {
        var count = rng.Next(steps.Min, steps.Max);
        return rng.Index(2) == 0 ? Chain(rng, ranges, count) : Relation(rng, ranges, count);
    }

    /// <summary>
    /// "Ann has 12 pens. She buys 3 more. She doubles them. How many pens does she have?" — or a start of
    /// "Ann buys 4 bags of 5 pens." which is itself a step; each further sentence is one step.
    /// </summary>
    public static SyntheticProblem? Chain(DeterministicRandom rng, OperationRanges ranges, int stepCount)
    {
        var person = rng.Pick(TaskVocabulary.People);
        var thing = rng.Pick(TaskVocabulary.Objects);
        var lead = $"{person.SubjectCapitalised} has ";
        const string tail = ".";
        var sentences = new List<string>();
        var steps = new List<CalculatorStep>();
        int value;
        if (rng.Index(3) == 0)
        {
            var bags = rng.Next(ranges.Factor.Min, ranges.Factor.Max);
            var each = rng.Next(ranges.Count.Min, ranges.Count.Max);
            sentences.Add($"{person.Name} buys {bags} {rng.Pick(TaskVocabulary.Containers)} of {each} {thing}.");
            steps.Add(new CalculatorStep(lead, bags, Operation.Multiply, each, tail));
            value = steps[^1].Value;
            if (value > ranges.MaxValue) return null;
        }
        else
        {
            value = rng.Next(ranges.Count.Min, ranges.Count.Max);
            sentences.Add($"{person.Name} has {value} {thing}.");
        }
        while (steps.Count < stepCount)
        {
            var change = ChainChange(rng, ranges, value, person);
            if (change is null) return null;
            sentences.Add(change.Value.Sentence);
            steps.Add(new CalculatorStep(lead, value, change.Value.Op, change.Value.Operand, tail));
            value = steps[^1].Value;
        }
        var question = string.Join(' ', sentences) + $" How many {thing} does {person.Pronoun} have?";
        return new SyntheticProblem(TaskKind.Chain, question, steps, value);
    }

    /// <summary>
    /// "Ann has 12 pens. Ben has 5 more than Ann. How many pens do they have in all?" and its three-person forms:
    /// asking for the third person (2 steps), the second and third together (3 steps), or everyone (4 steps).
    /// </summary>
    public static SyntheticProblem? Relation(DeterministicRandom rng, OperationRanges ranges, int stepCount)
    {
        var people = rng.Shuffle(TaskVocabulary.People).Take(stepCount == 2 && rng.Index(2) == 0 ? 2 : 3).ToList();
        var thing = rng.Pick(TaskVocabulary.Objects);
        const string tail = ".";
        var amounts = new List<int> { rng.Next(ranges.Count.Min, ranges.Count.Max) };
        var sentences = new List<string> { $"{people[0].Name} has {amounts[0]} {thing}." };
        var steps = new List<CalculatorStep>();
        for (var i = 1; i < people.Count; i++)
        {
            var relation = RelationTo(rng, ranges, amounts[^1], people[i], people[i - 1]);
            if (relation is null) return null;
            sentences.Add(relation.Value.Sentence);
            steps.Add(new CalculatorStep($"{people[i].Name} has ", amounts[^1], relation.Value.Op, relation.Value.Operand, tail));
            amounts.Add(steps[^1].Value);
        }
        var ask = AskRelation(people, amounts, thing, stepCount, steps);
        if (ask is null || steps[^1].Value > ranges.MaxValue) return null;
        return new SyntheticProblem(TaskKind.Relation, string.Join(' ', sentences) + " " + ask, steps, steps[^1].Value);
    }

    private static string? AskRelation(List<Person> people, List<int> amounts, string thing, int stepCount, List<CalculatorStep> steps)
    {
        const string tail = ".";
        switch (people.Count, stepCount)
        {
            case (2, 2):
                steps.Add(new CalculatorStep("Together they have ", amounts[0], Operation.Add, amounts[1], tail));
                return $"How many {thing} do they have in all?";
            case (3, 2):
                return $"How many {thing} does {people[2].Name} have?";
            case (3, 3):
                steps.Add(new CalculatorStep("Together they have ", amounts[1], Operation.Add, amounts[2], tail));
                return $"How many {thing} do {people[1].Name} and {people[2].Name} have together?";
            case (3, 4):
                steps.Add(new CalculatorStep($"{people[0].Name} and {people[1].Name} have ", amounts[0], Operation.Add, amounts[1], tail));
                steps.Add(new CalculatorStep("All three have ", steps[^1].Value, Operation.Add, amounts[2], tail));
                return $"How many {thing} do they have in all?";
            default:
                return null;
        }
    }

    private readonly record struct Change(string Sentence, Operation Op, int Operand);

    private static Change? ChainChange(DeterministicRandom rng, OperationRanges ranges, int value, Person person)
    {
        var subject = person.SubjectCapitalised;
        var feasible = Feasible(ranges, value);
        if (feasible.Count == 0) return null;
        var op = rng.Pick(feasible);
        var operand = Operand(rng, ranges, value, op);
        var sentence = op switch
        {
            Operation.Add => $"{subject} {rng.Pick(["buys", "finds", "gets"])} {operand} more.",
            Operation.Subtract => $"{subject} {rng.Pick(["gives away", "loses", "sells"])} {operand}.",
            _ => operand switch
            {
                2 => $"{subject} doubles them.",
                3 => $"{subject} triples them.",
                _ => $"Now {person.Pronoun} has {operand} times as many.",
            },
        };
        return new Change(sentence, op, operand);
    }

    private static Change? RelationTo(DeterministicRandom rng, OperationRanges ranges, int value, Person who, Person other)
    {
        var feasible = Feasible(ranges, value);
        if (feasible.Count == 0) return null;
        var op = rng.Pick(feasible);
        var operand = Operand(rng, ranges, value, op);
        var relation = op switch
        {
            Operation.Add => $"{operand} more than",
            Operation.Subtract => $"{operand} fewer than",
            _ => $"{operand} times as many as",
        };
        return new Change($"{who.Name} has {relation} {other.Name}.", op, operand);
    }

    /// <summary>The operations that keep the result in [1, MaxValue] for some operand in range.</summary>
    private static List<Operation> Feasible(OperationRanges ranges, int value)
    {
        var ops = new List<Operation>(3);
        if (value + ranges.Addend.Min <= ranges.MaxValue) ops.Add(Operation.Add);
        if (value - ranges.Addend.Min >= 1) ops.Add(Operation.Subtract);
        if (value * ranges.Factor.Min <= ranges.MaxValue) ops.Add(Operation.Multiply);
        return ops;
    }

    private static int Operand(DeterministicRandom rng, OperationRanges ranges, int value, Operation op) => op switch
    {
        Operation.Add => rng.Next(ranges.Addend.Min, Math.Min(ranges.Addend.Max, ranges.MaxValue - value)),
        Operation.Subtract => rng.Next(ranges.Addend.Min, Math.Min(ranges.Addend.Max, value - 1)),
        _ => rng.Next(ranges.Factor.Min, Math.Min(ranges.Factor.Max, ranges.MaxValue / value)),
    };
}
