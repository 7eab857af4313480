using CsCheck;
using LoraPar.Core;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

public sealed class DualSystemTaskPropertyTests
{
    [Fact]
    public void For_any_seed_the_task_is_well_formed()
    {
        Gen.Long.Sample(seed =>
        {
            var config = new DualSystemTaskConfig { Seed = seed, System1 = new(12, 6), System2 = new(12, 6) };
            var task = DualSystemTaskGenerator.Generate(config);
            var all = task.Train.Concat(task.Eval).ToList();
            return all.Count == 36
                && all.Select(i => i.Question).Distinct().Count() == 36
                && all.All(i => Gsm8kAnswer.TryParseFinal(i.Answer) == i.FinalAnswer)
                && all.All(i => i.FinalAnswer >= 0 && i.FinalAnswer <= config.Ranges.MaxValue)
                && all.All(i => i.Question.Length <= config.MaxQuestionChars && i.Answer.Length <= config.MaxSolutionChars)
                && all.All(i => TaskAlphabet.Covers(i.Question) && TaskAlphabet.Covers(i.Answer))
                && all.All(i => (i.System == ReasoningSystem.System1) == (i.SolutionLines.Count == 0));
        }, iter: 200);
    }
}
