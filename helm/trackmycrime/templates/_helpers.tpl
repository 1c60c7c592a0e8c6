{{/* Names and labels. */}}
{{- define "tmc.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tmc.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tmc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tmc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Selector labels for one component: include "tmc.selectorLabels" (list . "web") */}}
{{- define "tmc.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "tmc.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "tmc.labels" -}}
{{- $root := index . 0 -}}
{{ include "tmc.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
{{- end -}}

{{- define "tmc.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The pod's security context: the image's non-root user, RuntimeDefault seccomp.
*/}}
{{- define "tmc.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
fsGroup: {{ .Values.runAsUser }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Every container: read-only root, no privilege escalation, no capabilities. */}}
{{- define "tmc.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Settings from values, inline (no ConfigMap: the pre-install hook runs before any
chart resource exists). Secrets one key at a time, never envFrom, so that
ADMIN_DATABASE_URL reaches only the pods that ask for it:
include "tmc.env" (dict "root" . "admin" false)
*/}}
{{- define "tmc.env" -}}
{{- $v := .root.Values -}}
- name: TMC_ENV
  value: production
- name: BASE_DOMAIN
  value: {{ $v.baseDomain | quote }}
- name: PROXY_HOPS
  value: {{ $v.config.proxyHops | quote }}
- name: LOG_LEVEL
  value: {{ $v.config.logLevel | quote }}
- name: REGISTRY_TTL_SECONDS
  value: {{ $v.config.registryTtlSeconds | quote }}
- name: DEFAULT_RATE_LIMIT
  value: {{ $v.config.defaultRateLimit | quote }}
- name: EXIT_PAGE_URL
  value: {{ $v.config.exitPageUrl | quote }}
# Nothing is written under the image: the root filesystem is read-only.
- name: INSTANCE_PATH
  value: /tmp/instance
- name: HOME
  value: /tmp
{{- if $v.exports.existingClaim }}
- name: EXPORT_DIR
  value: /exports
{{- end }}
{{- $keys := list "SECRET_KEY" "SECRETS_KEY" "DATABASE_URL" "REDIS_URL" "SMTP_URL" }}
{{- if .admin }}{{ $keys = append $keys "ADMIN_DATABASE_URL" }}{{ end }}
{{- range $keys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $v.secret.name }}
      key: {{ . }}
{{- end }}
{{- end -}}

{{/* A writable /tmp on the read-only root filesystem. */}}
{{- define "tmc.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{- define "tmc.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* The decommission exports' shared claim (values: exports), when there is one. */}}
{{- define "tmc.exportsVolume" -}}
{{- if .Values.exports.existingClaim }}
- name: exports
  persistentVolumeClaim:
    claimName: {{ .Values.exports.existingClaim }}
{{- end }}
{{- end -}}

{{- define "tmc.exportsMount" -}}
{{- if .Values.exports.existingClaim }}
- name: exports
  mountPath: /exports
{{- end }}
{{- end -}}

{{/* Scheduling and pull settings shared by every pod. */}}
{{- define "tmc.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- include "tmc.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
