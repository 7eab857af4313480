using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// One row of the synthetic task in GSM8K JSONL form (<c>question</c>, <c>answer</c> ending in <c>#### N</c>) plus
/// <c>id</c>, <c>system</c> (1 or 2) and <c>kind</c>.
/// </summary>
/// <param name="Id">Unique id, <c>s{system}-{split}-{index:D5}</c>, e.g. <c>s2-train-00017</c>.</param>
/// <param name="System">The gold system label.</param>
/// <param name="Kind">The template family (diagnostic).</param>
/// <param name="Question">The question.</param>
/// <param name="Answer">The GSM8K answer field: solution lines (System 2) and the final <c>#### N</c>.</param>
/// <param name="FinalAnswer">The number on the <c>#### N</c> line.</param>
public sealed record DualSystemItem(string Id, ReasoningSystem System, TaskKind Kind, string Question, string Answer, int FinalAnswer)
{
    /// <summary>The solution lines before <c>#### N</c> (empty for System 1).</summary>
    public IReadOnlyList<string> SolutionLines
    {
        get
        {
            var lines = Answer.Split('\n');
            return lines[..^1];
        }
    }
}
