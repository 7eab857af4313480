using System.Collections.Immutable;

namespace LoraPar.Synthetic;

/// <summary>A person in a word problem: a short name and the pronoun used for them.</summary>
public sealed record Person(string Name, string Pronoun)
{
    /// <summary>The pronoun at the start of a sentence ("She").</summary>
    public string SubjectCapitalised => char.ToUpperInvariant(Pronoun[0]) + Pronoun[1..];
}

/// <summary>
/// The small, fixed vocabulary of the synthetic task: names, countable objects and colours. Every word is built
/// from <see cref="TaskAlphabet"/>; the lists are immutable so that a seed always yields the same task.
/// </summary>
public static class TaskVocabulary
{
    /// <summary>Three-letter names keep questions short.</summary>
    public static ImmutableArray<Person> People { get; } =
    [
        new("Ann", "she"), new("Ben", "he"), new("Cal", "he"), new("Dan", "he"), new("Eve", "she"),
        new("Fay", "she"), new("Gus", "he"), new("Ida", "she"), new("Joe", "he"), new("Kim", "she"),
        new("Lee", "he"), new("Max", "he"), new("Ned", "he"), new("Pam", "she"), new("Ray", "he"),
        new("Sam", "he"), new("Tom", "he"), new("Una", "she"), new("Val", "she"), new("Zoe", "she"),
    ];

    /// <summary>Plural countable objects (at most six letters).</summary>
    public static ImmutableArray<string> Objects { get; } =
        ["apples", "pens", "cards", "books", "eggs", "shells", "coins", "cups", "toys", "stamps", "beads", "rocks"];

    /// <summary>Colours for the System-1 lookup questions.</summary>
    public static ImmutableArray<string> Colours { get; } = ["red", "blue", "green", "black", "white", "pink"];

    /// <summary>Containers for "buys 4 bags of 5 pens".</summary>
    public static ImmutableArray<string> Containers { get; } = ["bags", "boxes", "packs"];
}
