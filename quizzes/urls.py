from django.urls import path

from . import views

urlpatterns = [
    path("quizzes/bank/gift/", views.question_bank_gift, name="question_bank_gift"),
    path("quizzes/bank/gift/export/", views.question_bank_gift_export, name="question_bank_gift_export"),
    path("quizzes/accommodations/<int:cohort_id>/", views.quiz_accommodations, name="quiz_accommodations"),
    path("quizzes/<int:quiz_id>/analysis/", views.quiz_analysis, name="quiz_analysis"),
]
