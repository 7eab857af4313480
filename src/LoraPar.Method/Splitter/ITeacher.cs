namespace LoraPar.Method.Splitter;

/// <summary>One training question to label: a stable id, the question, and (when the dataset has one) its reference solution.</summary>
public sealed record SplitterItem(string Id, string Question, string? ReferenceSolution = null);

/// <summary>A teacher's reply to one question: the raw text (or score summary) and the vote read from it.</summary>
public sealed record TeacherAnswer(string Raw, Vote Vote);

/// <summary>A voter of the sample splitter: one strategy per <see cref="TeacherKind"/>.</summary>
public interface ITeacher : IDisposable
{
    /// <summary>The configuration the teacher was built from.</summary>
    TeacherConfig Config { get; }

    /// <summary>
    /// What determines this teacher's answers apart from the question (kind, URL, model, temperature, prompt template hash…),
    /// never a secret. Hashed into the vote cache key.
    /// </summary>
    string Identity { get; }

    /// <summary>Whether answers are worth caching on disk (false for instant, pure rules).</summary>
    bool IsCached { get; }

    /// <summary>The exact prompt text the teacher would be given for <paramref name="item"/>; hashed into the cache key.</summary>
    string PromptText(SplitterItem item);

    /// <summary>Asks the teacher; throws when the answer could not be had (after the teacher's own retries).</summary>
    Task<TeacherAnswer> AskAsync(SplitterItem item, CancellationToken cancellationToken);
}
