using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>
/// One teacher's part in one question's label: its vote, what became of the question (answered, unparseable, failed,
/// skipped), its raw answer where it gave one, and the error where it failed. <see cref="Open"/> marks an abstention that is not
/// final: a later run asks the question again (within <see cref="TeacherResilience.MaxReasks"/>).
/// </summary>
public sealed record TeacherVote(
    string Teacher, TeacherKind Kind, Vote Vote, AnswerStatus Status, string? Raw, string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Open = false);

/// <summary>One line of labels.jsonl: a question's label, how it was reached, the weight behind each system and every vote.</summary>
public sealed record ItemLabel(
    string Id, ReasoningSystem Label, LabelDecision DecidedBy, double System1Weight, double System2Weight, IReadOnlyList<TeacherVote> Votes);

/// <summary>A teacher taken out of the run (or that stopped it) after failing repeatedly.</summary>
public sealed record TeacherFailure(string Teacher, TeacherKind Kind, string Location, int Failures, string LastError)
{
    /// <summary>One sentence for the user: who failed, where, how often, and the last error.</summary>
    public string Describe() =>
        $"teacher \"{Teacher}\" ({Kind.ToString().ToLowerInvariant()}, {Location}) failed {Failures} questions in a row; last error: {LastError}";
}
