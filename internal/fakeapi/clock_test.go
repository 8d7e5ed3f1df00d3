package fakeapi

import (
	"testing"
	"time"
)

func TestClockFixed(t *testing.T) {
	var c Clock
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatalf("Now = %v", c.Now())
	}
	time.Sleep(2 * time.Millisecond)
	if !c.Now().Equal(t0) {
		t.Fatal("a Set clock moved by itself")
	}
	c.Advance(15 * time.Minute)
	if !c.Now().Equal(t0.Add(15 * time.Minute)) {
		t.Fatalf("after Advance Now = %v", c.Now())
	}
	t1 := t0.Add(48 * time.Hour)
	c.Set(t1)
	if !c.Now().Equal(t1) {
		t.Fatalf("after Set Now = %v", c.Now())
	}
}

func TestClockReal(t *testing.T) {
	var c Clock
	if d := time.Since(c.Now()); d < -time.Second || d > time.Second {
		t.Fatalf("zero Clock is %v off real time", d)
	}
	c.Advance(time.Hour)
	if d := time.Until(c.Now()); d < 59*time.Minute || d > 61*time.Minute {
		t.Fatalf("after Advance(1h) the clock is %v ahead", d)
	}
	var nilClock *Clock
	if d := time.Since(nilClock.Now()); d < -time.Second || d > time.Second {
		t.Fatal("nil Clock does not follow real time")
	}
	// The default server clock follows real time and can be advanced.
	s := New()
	s.Clock().Advance(20 * time.Minute)
	if d := time.Until(s.now()); d < 19*time.Minute {
		t.Fatalf("server clock is only %v ahead", d)
	}
}
