/*
 * A JVMTI agent that counts the bytecodes the thread named "main" runs, from VM start to VM death, and prints
 * "bytecodes main=<count>" on standard error. It asks for single-step events, so the JVM interprets every method
 * and the count does not depend on what the JIT compiler would have compiled when: the same start gives the same
 * count within a fraction of a percent from run to run, where wall time on a small VM moves by tens of percent.
 */
#include <jvmti.h>
#include <stdio.h>
#include <string.h>

static __thread int counting;
static unsigned long long main_bytecodes;

static void JNICALL on_step(jvmtiEnv *jvmti, JNIEnv *jni, jthread thread, jmethodID method, jlocation location) {
    if (counting) {
        main_bytecodes++;
    }
}

static void JNICALL on_init(jvmtiEnv *jvmti, JNIEnv *jni, jthread thread) {
    jvmtiThreadInfo info;
    if ((*jvmti)->GetThreadInfo(jvmti, thread, &info) == JVMTI_ERROR_NONE && info.name != NULL
            && strcmp(info.name, "main") == 0) {
        counting = 1;
    }
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_SINGLE_STEP, NULL);
}

static void JNICALL on_death(jvmtiEnv *jvmti, JNIEnv *jni) {
    fprintf(stderr, "bytecodes main=%llu\n", main_bytecodes);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *jvmti;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK) {
        return JNI_ERR;
    }
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_generate_single_step_events = 1;
    if ((*jvmti)->AddCapabilities(jvmti, &capabilities) != JVMTI_ERROR_NONE) {
        return JNI_ERR;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.SingleStep = on_step;
    callbacks.VMInit = on_init;
    callbacks.VMDeath = on_death;
    (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_DEATH, NULL);
    return JNI_OK;
}
