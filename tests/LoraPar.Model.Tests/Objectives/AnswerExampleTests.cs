using LoraPar.Model.Objectives;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Objectives;

public sealed class AnswerExampleTests
{
    [Fact]
    public void Encode_separates_prompt_and_response_and_appends_eos()
    {
        var tokenizer = CharTokenizer.Create("ab12 :");
        var example = AnswerExample.Encode(tokenizer, "a: ", "12");
        Assert.Equal(tokenizer.Encode("a: "), example.PromptIds);
        Assert.Equal(tokenizer.BosId, example.PromptIds[0]);
        Assert.Equal([.. tokenizer.Encode("12", addBos: false), tokenizer.EosId], example.ResponseIds);
    }

    [Fact]
    public void Truncation_cuts_from_the_right_and_may_leave_no_response()
    {
        var example = new AnswerExample([1, 5, 6], [7, 2]);
        Assert.Equal([7], example.Truncated(4).ResponseIds);
        Assert.Empty(example.Truncated(3).ResponseIds);
        Assert.Equal([1, 5], example.Truncated(2).PromptIds);
    }

    [Fact]
    public void Fitting_truncates_the_response_and_drops_examples_without_a_response_token()
    {
        var example = new AnswerExample([1, 2, 3], [4, 5, 6]);
        Assert.Same(example, example.Fitted(6));
        Assert.Equal([4], example.Fitted(4)!.ResponseIds);
        Assert.Null(example.Fitted(3));
        Assert.Null(new AnswerExample([1], []).Fitted(8));
        Assert.Null(new AnswerExample([], [4]).Fitted(8));
    }
}
