using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Init;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Tests.Init;

public sealed class HeldOutInspectionTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("55", AnswerMetric.Numeric)]
    [InlineData(" 1,000 ", AnswerMetric.Numeric)]
    [InlineData("$72.", AnswerMetric.Numeric)]
    [InlineData("18 plus 37 is 55.\n#### 55", AnswerMetric.Numeric)]                 // GSM8K's marked answer
    [InlineData("<reasoning>5+2</reasoning><answer>7</answer>", AnswerMetric.Numeric)]
    [InlineData("Paris", AnswerMetric.Exact)]
    [InlineData("It was built in 1889.", AnswerMetric.Exact)]                          // a number inside a text is no numeric gold
    [InlineData("1,0000", AnswerMetric.Exact)]                                          // commas only between thousands
    public void The_metric_is_numeric_when_the_gold_answer_is_a_number(string gold, AnswerMetric expected)
    {
        Assert.Equal(expected, HeldOutInspection.MetricOf(gold));
    }

    [Fact]
    public void A_chat_file_gives_its_layout_columns_and_first_gold_answer()
    {
        var path = _ws.Write("held.jsonl",
            "{\"conversation\": [{\"role\": \"user\", \"content\": \"What is 18 plus 37?\"}, {\"role\": \"assistant\", \"content\": \"It is 55.\\n#### 55\"}]}\n"
            + "{\"conversation\": [{\"role\": \"user\", \"content\": \"Name a colour.\"}, {\"role\": \"assistant\", \"content\": \"Red.\"}]}\n");

        var heldOut = HeldOutInspection.Of(path);

        Assert.Equal((DatasetKind.Messages, 2), (heldOut.File.Dataset, heldOut.File.Rows));
        Assert.Equal("conversation", heldOut.File.Mapping["messages"]);
        Assert.Equal(("It is 55.\n#### 55", AnswerMetric.Numeric), (heldOut.Gold, heldOut.Metric));
    }

    [Fact]
    public void A_file_without_an_answer_column_is_graded_exactly_until_it_is_named()
    {
        var path = _ws.Write("held.csv", "prompt_text,notes\nWhat is 2 plus 5?,easy\n");

        var heldOut = HeldOutInspection.Of(path);

        Assert.Equal(["question", "answer"], heldOut.File.Missing);     // neither name is a common one
        Assert.Equal(("", AnswerMetric.Exact), (heldOut.Gold, heldOut.Metric));
    }
}
