using System.Text.Json.Serialization;

namespace LoraPar.Method.Splitter;

/// <summary>What kind of teacher casts a vote.</summary>
public enum TeacherKind
{
    /// <summary>An LLM behind any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp server…).</summary>
    [JsonStringEnumMemberName("openai")] Openai,

    /// <summary>A checkpoint loaded in-process; it votes for the answer with the higher log-likelihood after the prompt.</summary>
    [JsonStringEnumMemberName("local")] Local,

    /// <summary>A transparent rule over the reference solution and the question; not an LLM.</summary>
    [JsonStringEnumMemberName("heuristic")] Heuristic,

    /// <summary>
    /// A free proxy for math data: counts GSM8K-style <c>&lt;&lt;a+b=c&gt;&gt;</c> calculator steps in the reference solution
    /// (<see cref="CalculatorStepsTeacher"/>); not an LLM.
    /// </summary>
    [JsonStringEnumMemberName("calculator_steps")] CalculatorSteps,

    /// <summary>Votes recorded in a labels file (<see cref="SplitterMethod.LabelsFile"/>); nothing is asked.</summary>
    [JsonStringEnumMemberName("recorded")] Recorded,
}

/// <summary>One teacher of the sample splitter. <see cref="Name"/> is how outputs refer to it; <see cref="Weight"/> its vote weight.</summary>
public abstract record TeacherConfig(string Name)
{
    /// <summary>The weight of this teacher's vote (positive; 1 for plain majority voting).</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>The kind of teacher, which selects its strategy.</summary>
    public abstract TeacherKind Kind { get; }

    /// <summary>Where the teacher lives, for reports: a URL, a checkpoint, or "rule".</summary>
    public abstract string Location { get; }
}

/// <summary>
/// A teacher behind an OpenAI-compatible chat-completions endpoint. The API key is read from the environment variable
/// named <see cref="ApiKeyVariable"/> (null for servers that need none); the key itself is never stored, logged or written.
/// </summary>
public sealed record OpenAiTeacherConfig(string Name, Uri BaseUrl, string Model) : TeacherConfig(Name)
{
    /// <summary>Name of the environment variable holding the API key, e.g. "OPENAI_API_KEY"; null when the server needs no key.</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>Sampling temperature sent with every request (0 for the most repeatable answers).</summary>
    public double Temperature { get; init; }

    /// <summary>Completion token limit; reasoning models need room for their thinking before "System 1/2".</summary>
    public int MaxTokens { get; init; } = 16;

    /// <inheritdoc />
    public override TeacherKind Kind => TeacherKind.Openai;

    /// <inheritdoc />
    public override string Location => BaseUrl.ToString();
}

/// <summary>
/// A checkpoint loaded in-process. <see cref="Checkpoint"/> identifies the weights (a path or a content hash) and is part of the
/// teacher's cache identity; the scorer itself comes from <see cref="TeacherEnvironment.LocalScorers"/>.
/// </summary>
public sealed record LocalTeacherConfig(string Name, string Checkpoint) : TeacherConfig(Name)
{
    /// <inheritdoc />
    public override TeacherKind Kind => TeacherKind.Local;

    /// <inheritdoc />
    public override string Location => Checkpoint;
}

/// <summary>
/// A rule-based voter. Signals: reasoning steps in the reference solution (non-empty lines before "####"), GSM8K "&lt;&lt;…&gt;&gt;"
/// calculator annotations, and words in the question. It votes System 2 when at least <see cref="RequiredSignals"/> of the
/// available signals reach their thresholds (without a reference solution only the length signal is available).
/// The defaults put about 38% of GSM8K train into System 2.
/// </summary>
public sealed record HeuristicTeacherConfig(string Name) : TeacherConfig(Name)
{
    /// <summary>Reasoning steps at or above which the steps signal fires.</summary>
    public int StepThreshold { get; init; } = 4;

    /// <summary>Calculator annotations at or above which the annotation signal fires.</summary>
    public int AnnotationThreshold { get; init; } = 4;

    /// <summary>Question words at or above which the length signal fires.</summary>
    public int QuestionWordThreshold { get; init; } = 50;

    /// <summary>Signals that must fire for a System 2 vote (capped at the number of available signals).</summary>
    public int RequiredSignals { get; init; } = 2;

    /// <inheritdoc />
    public override TeacherKind Kind => TeacherKind.Heuristic;

    /// <inheritdoc />
    public override string Location => "rule";
}

/// <summary>
/// The calculator-steps proxy: a question whose reference solution has at most <see cref="MaxSystem1Steps"/> GSM8K calculator
/// annotations (<c>&lt;&lt;48/2=24&gt;&gt;</c>) is System 1, one with more is System 2.
/// </summary>
public sealed record CalculatorStepsTeacherConfig(string Name) : TeacherConfig(Name)
{
    /// <summary>The most calculator steps a System-1 answer has (default 1: 0–1 steps → System 1, 2 or more → System 2).</summary>
    public int MaxSystem1Steps { get; init; } = 1;

    /// <inheritdoc />
    public override TeacherKind Kind => TeacherKind.CalculatorSteps;

    /// <inheritdoc />
    public override string Location => "rule";
}

/// <summary>A teacher whose votes were recorded beforehand: one vote column of a labels file (<see cref="GivenLabels"/>).</summary>
public sealed record RecordedTeacherConfig(string Name, string File) : TeacherConfig(Name)
{
    /// <inheritdoc />
    public override TeacherKind Kind => TeacherKind.Recorded;

    /// <inheritdoc />
    public override string Location => File;
}
