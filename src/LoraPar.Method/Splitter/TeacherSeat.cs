namespace LoraPar.Method.Splitter;

/// <summary>A teacher's place in a run: counts its failures in a row and takes it out of the run when they reach the limit.</summary>
internal sealed class TeacherSeat(ITeacher teacher, int maxConsecutiveFailures)
{
    private readonly Lock _lock = new();
    private int _consecutive;
    private string _lastError = "";
    private bool _down;

    public ITeacher Teacher => teacher;

    public bool IsDown
    {
        get { lock (_lock) return _down; }
    }

    public void RecordSuccess()
    {
        lock (_lock) _consecutive = 0;
    }

    /// <summary>Records a failed question; true when this failure takes the teacher out of the run.</summary>
    public bool RecordFailure(string error)
    {
        lock (_lock)
        {
            _consecutive++;
            _lastError = error;
            if (_down || _consecutive < maxConsecutiveFailures) return false;
            _down = true;
            return true;
        }
    }

    /// <summary>The failure report, once the teacher is out of the run.</summary>
    public TeacherFailure? Failure
    {
        get
        {
            lock (_lock)
                return _down ? new TeacherFailure(teacher.Config.Name, teacher.Config.Kind, teacher.Config.Location, _consecutive, _lastError) : null;
        }
    }
}
