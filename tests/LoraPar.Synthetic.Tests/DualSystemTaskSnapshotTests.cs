using LoraPar.Core;
using LoraPar.Synthetic;
using Snapshooter.Xunit;

namespace LoraPar.Synthetic.Tests;

public sealed class DualSystemTaskSnapshotTests
{
    [Fact]
    public void First_items_of_each_system_for_a_fixed_seed()
    {
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { Seed = 20_260_101, System1 = new(8, 4), System2 = new(8, 4) });
        var first = new
        {
            System1 = task.Items(DataSplit.Train, ReasoningSystem.System1).Take(4).Select(Row),
            System2 = task.Items(DataSplit.Train, ReasoningSystem.System2).Take(4).Select(Row),
            Eval = task.Eval.Take(3).Select(Row),
        };
        Snapshot.Match(first);
    }

    private static object Row(DualSystemItem item) => new { item.Id, Kind = item.Kind.ToName(), item.Question, item.Answer };
}
