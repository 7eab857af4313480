using LoraPar.Pipeline.Executors;

namespace LoraPar.Pipeline.Tests.Executors;

/// <summary>
/// The scheduler's records as Slurm prints them: <c>scontrol show job -o</c> lines captured from Slurm 22.05 (build/slurm-local.sh), and
/// <c>sacct -P</c> lines in the form its manual gives (fields split by '|', a cancelled state followed by "by uid").
/// </summary>
public sealed class SlurmJobTests
{
    private const string Cancelled = "JobId=160 JobName=lorapar.long.labels.e63d176e99ae UserId=root(0) GroupId=root(0) MCS_label=N/A "
        + "Priority=4294901613 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=DependencyNeverSatisfied Dependency=afterok:159(failed) "
        + "Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-02T08:02:43 "
        + "EligibleTime=Unknown AccrueTime=Unknown StartTime=2026-12-02T08:02:48 EndTime=2026-12-02T08:02:48 Deadline=N/A Partition=local "
        + "AllocNode:Sid=localhost:2771 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 NumTasks=N/A CPUs/Task=1 "
        + "TRES=cpu=1,mem=21694M,node=1,billing=1 StdOut=/tmp/a/labels-e63d176e99ae.160.log KillOInInvalidDependent=Yes ";

    private const string Requeued = "JobId=148 JobName=lorapar.long.pretrain.f53841ed924e JobState=COMPLETED Reason=None Dependency=(null) "
        + "Requeue=1 Restarts=1 BatchFlag=1 ExitCode=0:0 RunTime=00:00:23 StartTime=2026-12-02T08:01:46 EndTime=2026-12-02T08:02:09 NodeList=vm";

    [Fact]
    public void Scontrol_lines_give_state_reason_times_and_restarts()
    {
        var jobs = SlurmJob.ParseScontrol(Cancelled + "\n" + Requeued + "\n").ToList();
        Assert.Equal(2, jobs.Count);
        var (cancelled, requeued) = (jobs[0], jobs[1]);
        Assert.Equal(("160", "lorapar.long.labels.e63d176e99ae", "CANCELLED", ""), (cancelled.Id, cancelled.Name, cancelled.State, cancelled.Node));
        Assert.True(cancelled is { DependencyFailed: true, Failed: true, IsActive: false });
        Assert.Equal(("vm", "00:00:23", "2026-12-02T08:01:46", "2026-12-02T08:02:09", 1),
            (requeued.Node, requeued.Elapsed, requeued.Start, requeued.End, requeued.Restarts));
        Assert.True(requeued is { Succeeded: true, Failed: false });
    }

    [Fact]
    public void Sacct_lines_give_the_state_without_who_cancelled()
    {
        var job = Assert.Single(SlurmJob.ParseSacct("4242|lorapar.ci.sft.0123456789ab|CANCELLED by 1000|gpu07|00:12:01|2026-12-01T10:00:00|2026-12-01T10:12:01|0:15\n"));
        Assert.Equal(("4242", "CANCELLED", "gpu07", "0:15"), (job.Id, job.State, job.Node, job.ExitCode));
        Assert.True(job.Failed);
        Assert.True(Assert.Single(SlurmJob.ParseSacct("7|n|PENDING|None assigned|00:00:00|Unknown|Unknown|0:0")) is { IsActive: true, Node: "" });
    }
}
